namespace MarketStream.Client;

/// <summary>What a <see cref="MarketEvent"/> reports.</summary>
public enum MarketEventKind
{
    /// <summary>The full state of a symbol at (epoch, seq): the start of its stream (docs/protocol.md §4.13).</summary>
    Snapshot,

    /// <summary>One sequenced update, seq = previous + 1 (§4.6). <see cref="MarketEvent.Update"/> holds it.</summary>
    Update,

    /// <summary>
    /// Several consecutive updates folded into one by the server (conflation, max rate, max lag; §4.7).
    /// <see cref="MarketEvent.FirstSeq"/>..<see cref="MarketEvent.Seq"/> and <see cref="MarketEvent.Count"/> tell
    /// conflation from loss; <see cref="MarketEvent.Merged"/> holds the folded values.
    /// </summary>
    Merged,

    /// <summary>History was gone: the symbol's state was replaced by a fresh snapshot (§4.14); <see cref="MarketEvent.ResetReason"/> says why.</summary>
    Reset,

    /// <summary>
    /// Updates <see cref="MarketEvent.FirstSeq"/>..<see cref="MarketEvent.Seq"/> of <see cref="MarketEvent.Epoch"/>
    /// (<see cref="MarketEvent.Count"/> of them) never arrived. The server never skips silently, so this means a
    /// broken contract or a lost stream; the book continues from the update that follows.
    /// </summary>
    Gap,

    /// <summary>The server's periodic per-session figures: lag, queue, merges (§4.15). <see cref="MarketEvent.Heartbeat"/>.</summary>
    Heartbeat,

    /// <summary>Something the client should know: degraded to conflated, max-lag merge, slow consumer, token expiring (§4.16). <see cref="MarketEvent.Notice"/>.</summary>
    Notice,

    /// <summary>An Error the server sent that no pending request was waiting for (§4.19). <see cref="MarketEvent.Error"/>.</summary>
    Error,

    /// <summary>A session started (first connect or a reconnect). <see cref="MarketEvent.Connection"/>.</summary>
    Connected,

    /// <summary>The connection ended. <see cref="MarketEvent.Disconnect"/> says how and whether the client reconnects.</summary>
    Disconnected,
}
