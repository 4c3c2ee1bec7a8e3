using MarketStream.Model;

namespace MarketStream.Protocol;

/// <summary>
/// <c>[4, requestId, symbol]</c>: a fresh in-band snapshot of every channel the session takes of one symbol, or
/// <c>[4, requestId, symbol, channel]</c>: of that channel only (docs/protocol.md §4.4).
/// </summary>
/// <param name="RequestId">Request id.</param>
/// <param name="Symbol">Symbol name (not a pattern).</param>
public sealed record SnapshotRequest(long RequestId, string Symbol) : ClientMessage(RequestId)
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.SnapshotRequest;

    /// <summary>Only this channel; <see cref="ChannelKind.None"/> = every channel taken (3 elements on the wire).</summary>
    public ChannelKind Channel { get; init; }
}
