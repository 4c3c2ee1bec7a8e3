using MarketStream.Model;


namespace MarketStream.Feeds.Replay;

/// <summary>
/// Writes ticks to a tick file. Records carry the symbol, kind, prices, sizes, side, conditions
/// and exchange time; receive/server times and epoch/sequence are not recorded (a replay is a new
/// stream, numbered afresh by the sequencer).
/// </summary>
public interface ITickWriter : IDisposable
{
    /// <summary>Records written so far.</summary>
    long Written { get; }

    /// <summary>Appends one tick. Its <see cref="Tick.SymbolId"/> must be an id of the writer's universe.</summary>
    void Write(in Tick tick);

    /// <summary>Pushes buffered records to the stream.</summary>
    void Flush();

    /// <summary>Ends the file (the binary format writes its end marker) and flushes. Idempotent; later writes throw.</summary>
    void Complete();
}
