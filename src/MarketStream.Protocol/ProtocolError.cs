namespace MarketStream.Protocol;

/// <summary>
/// Why an inbound message was rejected. Readers return this value instead of throwing
/// (docs/protocol.md §5). <see cref="RequestId"/> is the request id if it could be read, else 0,
/// so the server can echo it in the Error message.
/// </summary>
/// <param name="Code">Stable error code.</param>
/// <param name="RequestId">Request id of the offending request, or 0.</param>
/// <param name="Message">Human-readable detail; constant strings, safe to log.</param>
public readonly record struct ProtocolError(ErrorCode Code, long RequestId, string Message)
{
    /// <summary>True when this value describes an error.</summary>
    public bool IsError => Code != ErrorCode.None;
}
