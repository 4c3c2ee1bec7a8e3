using System.Net;
using System.Net.WebSockets;
using MarketStream.Protocol;
using MarketStream.Server.Auth;

namespace MarketStream.Server.Gateway;

/// <summary>
/// Maps the WebSocket endpoint (docs/protocol.md §1), the admin session view and the development
/// token endpoint. Handshake refusals are plain HTTP before the upgrade; a connection over a limit is
/// accepted and closed with 4003 so the client sees a documented code (§6) rather than a reset.
/// </summary>
internal static partial class GatewayEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet(WireProtocol.Endpoint, HandleWebSocketAsync);
        app.MapGet("/api/sessions", GetSessionsAsync);
        DevTokenEndpoint.Map(app);
    }

    private static async Task HandleWebSocketAsync(
        HttpContext http,
        HandshakeGate gate,
        ConnectionLimiter limiter,
        SessionRegistry registry,
        GatewayContext context)
    {
        // Two steps so the state machine kept for the connection's lifetime holds only what the
        // session's run needs, not the handshake's locals (docs/operations.md, memory per connection).
        var session = await AcceptAsync(http, gate, limiter, registry, context).ConfigureAwait(false);
        if (session is not null)
        {
            await session.RunAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Handshake checks, limits and the upgrade: a session to run (its limiter slot taken, given back when it ends), or null when refused.</summary>
    private static async Task<GatewaySession?> AcceptAsync(
        HttpContext http,
        HandshakeGate gate,
        ConnectionLimiter limiter,
        SessionRegistry registry,
        GatewayContext context)
    {
        var outcome = await gate.CheckAsync(http).ConfigureAwait(false);
        if (!outcome.Accepted)
        {
            context.Metrics.HandshakeRefused(outcome.RefusalReason ?? "refused");
            Log.HandshakeRefused(context.Logger, outcome.RefusalReason ?? "refused", outcome.StatusCode);
            http.Response.StatusCode = outcome.StatusCode;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(outcome.RefusalBody ?? "{}", http.RequestAborted).ConfigureAwait(false);
            return null;
        }

        var address = http.Connection.RemoteIpAddress ?? IPAddress.None;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var activity = http.Features.Get<ReceiveActivity>();
        var accept = new WebSocketAcceptContext
        {
            SubProtocol = WireProtocol.SubProtocol,
            // The WebSocket sends a ping after KeepAliveInterval without input.
            KeepAliveInterval = context.Options.KeepAliveInterval,
            KeepAliveTimeout = context.Options.WebSocketPongTimeout(receiveTracked: activity is not null),
        };
        var refusal = limiter.TryAcquire(address);
        if (refusal != ConnectionRefusal.None)
        {
            context.Metrics.HandshakeRefused(refusal == ConnectionRefusal.TooManyFromAddress ? "too_many_from_address" : "too_many_connections");
            Log.ConnectionLimit(context.Logger, address.ToString(), refusal.ToString());
            using var refused = await http.WebSockets.AcceptWebSocketAsync(accept).ConfigureAwait(false);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await refused.CloseOutputAsync((WebSocketCloseStatus)CloseCode.TooManyConnections, "too many connections", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                refused.Abort();
            }

            return null;
        }

        try
        {
            var socket = await http.WebSockets.AcceptWebSocketAsync(accept).ConfigureAwait(false);
            return new GatewaySession(context, socket, registry, address, outcome.Grant, activity, new HttpTransportAbort(http));
        }
        catch
        {
            limiter.Release(address);
            throw;
        }
    }

    /// <summary>
    /// Admin view: an admin-role bearer token, or — in anonymous mode only — a request from loopback
    /// (the embedded default on a developer's machine).
    /// </summary>
    private static async Task<IResult> GetSessionsAsync(HttpContext http, SessionRegistry registry, GatewayContext context)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var (grant, _) = await context.Tokens.ValidateAsync(header["Bearer ".Length..].Trim()).ConfigureAwait(false);
            if (grant is null)
            {
                return Results.Json(new { error = "invalid_token" }, statusCode: StatusCodes.Status401Unauthorized);
            }

            if (grant.Role != TokenRole.Admin)
            {
                return Results.Json(new { error = "admin_role_required" }, statusCode: StatusCodes.Status403Forbidden);
            }
        }
        else if (context.Auth.Mode != AuthMode.Anonymous || http.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
        {
            return Results.Json(new { error = "admin_token_required" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        var sessions = new List<SessionView>(registry.Count);
        foreach (var session in registry.Sessions)
        {
            sessions.Add(session.GetView());
        }

        return Results.Json(sessions);
    }

    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Information, "Handshake refused ({Reason}, HTTP {Status})")]
        public static partial void HandshakeRefused(ILogger logger, string reason, int status);

        [LoggerMessage(201, LogLevel.Warning, "Connection from {RemoteAddress} over the limit ({Refusal}); closing with 4003")]
        public static partial void ConnectionLimit(ILogger logger, string remoteAddress, string refusal);
    }
}
