using MarketStream.Protocol;
using MarketStream.Server.Auth;
using Microsoft.Extensions.Options;

namespace MarketStream.Server.Gateway;

/// <summary>
/// Everything decided before a WebSocket upgrade (docs/protocol.md §1.2–1.3): it must be a
/// WebSocket request from an allowed origin offering <c>marketstream.v1</c>, and a token presented
/// in the handshake (subprotocol entry or query string) must be valid. Refusals are plain HTTP
/// with a JSON body, so a developer sees the reason in the browser's network tab.
/// </summary>
internal sealed class HandshakeGate(OriginPolicy origins, TokenService tokens, IOptions<AuthOptions> auth)
{
    private AccessGrant? _anonymous;

    /// <summary>One immutable grant shared by every anonymous session (options do not change at run time), not one per connection.</summary>
    private AccessGrant AnonymousGrant => _anonymous ??= AccessGrant.Anonymous(auth.Value.EffectiveAnonymousPatterns);

    private const string NotWebSocketBody = """{"error":"websocket_required","detail":"GET /ws must be a WebSocket upgrade"}""";
    private const string OriginBody = """{"error":"origin_not_allowed"}""";
    private const string SubprotocolBody = """{"error":"unsupported_subprotocol","supported":["marketstream.v1"]}""";
    private const string InvalidTokenBody = """{"error":"invalid_token"}""";
    private const string ExpiredTokenBody = """{"error":"token_expired"}""";

    /// <summary>Decides for an upgrade request that reached the HTTP pipeline (any path the direct upgrade passed on).</summary>
    public ValueTask<HandshakeOutcome> CheckAsync(HttpContext context)
    {
        var request = context.Request;
        string? queryToken = request.Query.TryGetValue(WireProtocol.AccessTokenQueryParameter, out var fromQuery) ? fromQuery.ToString() : null;
        return CheckAsync(new HandshakeRequest(
            context.WebSockets.IsWebSocketRequest,
            request.Headers.Origin.ToString(),
            $"{request.Scheme}://{request.Host}",
            context.WebSockets.WebSocketRequestedProtocols,
            queryToken));
    }

    /// <summary>Decides for one handshake, however it arrived (HTTP pipeline or <see cref="DirectUpgrade"/>).</summary>
    public async ValueTask<HandshakeOutcome> CheckAsync(HandshakeRequest request)
    {
        if (!request.IsWebSocket)
        {
            return HandshakeOutcome.Refuse(StatusCodes.Status426UpgradeRequired, "not_websocket", NotWebSocketBody);
        }

        if (!origins.IsAllowed(request.Origin, request.SelfOrigin))
        {
            return HandshakeOutcome.Refuse(StatusCodes.Status403Forbidden, "origin", OriginBody);
        }

        string? token = null;
        var offersV1 = false;
        foreach (var entry in request.Protocols)
        {
            if (entry == WireProtocol.SubProtocol)
            {
                offersV1 = true;
            }
            else if (token is null && entry.StartsWith(WireProtocol.TokenSubProtocolPrefix, StringComparison.Ordinal))
            {
                token = entry[WireProtocol.TokenSubProtocolPrefix.Length..];
            }
        }

        if (!offersV1)
        {
            return HandshakeOutcome.Refuse(StatusCodes.Status400BadRequest, "subprotocol", SubprotocolBody);
        }

        token ??= request.QueryToken;
        if (token is null)
        {
            // Anonymous mode: the configured anonymous entitlements. Required mode: upgrade and wait
            // for an Authenticate message within the deadline (null grant).
            return HandshakeOutcome.Upgrade(auth.Value.Mode == AuthMode.Anonymous ? AnonymousGrant : null);
        }

        var (grant, failure) = await tokens.ValidateAsync(token).ConfigureAwait(false);
        return failure switch
        {
            AuthFailure.None => HandshakeOutcome.Upgrade(grant),
            AuthFailure.Expired => HandshakeOutcome.Refuse(StatusCodes.Status401Unauthorized, "token_expired", ExpiredTokenBody),
            _ => HandshakeOutcome.Refuse(StatusCodes.Status401Unauthorized, "invalid_token", InvalidTokenBody),
        };
    }
}
