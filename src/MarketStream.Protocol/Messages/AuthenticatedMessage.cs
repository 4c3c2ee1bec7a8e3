namespace MarketStream.Protocol;

/// <summary><c>[17, requestId, subject, expiresAtNs]</c>: answer to Authenticate (docs/protocol.md §4.10).</summary>
/// <param name="RequestId">Echoed request id (0 when the token came with the handshake).</param>
/// <param name="Subject">Authenticated user.</param>
/// <param name="ExpiresAtNs">Token expiry, Unix ns; 0 = none.</param>
public sealed record AuthenticatedMessage(long RequestId, string Subject, long ExpiresAtNs) : ServerMessageBody
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.Authenticated;
}
