namespace MarketStream.Protocol;

/// <summary><c>[1, requestId, token]</c> (docs/protocol.md §4.1).</summary>
/// <param name="RequestId">Request id.</param>
/// <param name="Token">Bearer token (e.g. a JWT). Never log it.</param>
public sealed record AuthenticateRequest(long RequestId, string Token) : ClientMessage(RequestId)
{
    /// <inheritdoc/>
    public override MessageType Type => MessageType.Authenticate;

    /// <summary>Hides the token from logs and debugger displays.</summary>
    public override string ToString() => $"AuthenticateRequest {{ RequestId = {RequestId}, Token = *** }}";
}
