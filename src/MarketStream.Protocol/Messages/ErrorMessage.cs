namespace MarketStream.Protocol;

/// <summary><c>[28, requestId, code, text]</c> (docs/protocol.md §4.19, codes in §5).</summary>
/// <param name="RequestId">The failed request, or 0 if it could not be identified.</param>
/// <param name="Code">Stable error code.</param>
/// <param name="Text">Human-readable detail.</param>
public sealed record ErrorMessage(long RequestId, ErrorCode Code, string Text) : ServerMessageBody
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.Error;
}
