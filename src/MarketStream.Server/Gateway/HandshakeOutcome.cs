using MarketStream.Server.Auth;

namespace MarketStream.Server.Gateway;

/// <summary>
/// What <see cref="HandshakeGate"/> decided for one upgrade request: refuse with an HTTP status
/// and a JSON body (docs/protocol.md §1.2–1.3), or upgrade with a grant — or with none yet when the
/// client must send Authenticate within the deadline.
/// </summary>
internal readonly record struct HandshakeOutcome(int StatusCode, string? RefusalBody, string? RefusalReason, AccessGrant? Grant)
{
    public bool Accepted => StatusCode == StatusCodes.Status101SwitchingProtocols;

    public static HandshakeOutcome Upgrade(AccessGrant? grant) => new(StatusCodes.Status101SwitchingProtocols, null, null, grant);

    public static HandshakeOutcome Refuse(int status, string reason, string body) => new(status, body, reason, null);
}
