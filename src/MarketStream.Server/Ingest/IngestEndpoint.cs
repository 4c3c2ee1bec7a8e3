using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using MarketStream.Feeds.Configuration;
using MarketStream.Feeds.Validation;
using MarketStream.Model;
using MarketStream.Protocol;
using MarketStream.Server.Auth;
using MarketStream.Server.Gateway;
using MarketStream.Server.Hosting;
using MarketStream.Server.Operations;
using Microsoft.Extensions.Options;

namespace MarketStream.Server.Ingest;

/// <summary>
/// <c>/ingest</c>: external publishers push ticks over a WebSocket speaking <c>marketstream.v1</c>
/// (docs/feeds.md, ingest endpoint; docs/protocol.md §4.17, §4.20). Mapped only when
/// <c>MarketStream:Feeds:Ingest:Enabled</c>. The handshake goes through the gateway's
/// <see cref="HandshakeGate"/> (origin 403, subprotocol 400, bad handshake token 401), connections
/// count against the shared <see cref="ConnectionLimiter"/>, and <c>GET /api/ingest</c> reports
/// rejections by reason.
/// </summary>
internal static partial class IngestEndpoint
{
    public const string Path = "/ingest";

    private const string NotWebSocketBody = """{"error":"websocket_required","detail":"/ingest must be a WebSocket upgrade offering marketstream.v1"}""";

    private static long s_sessions;

    public static void Map(WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<FeedsOptions>>().Value.Ingest.Enabled)
        {
            return;
        }

        // Observable instruments register on first resolution.
        app.Services.GetRequiredService<IngestMetrics>();
        app.Map(Path, HandleAsync);
        app.MapGet("/api/ingest", static (IngestMetrics metrics, EngineHost host) =>
        {
            var rejected = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var reason = IngestRejectCode.UnknownSymbol; (int)reason < TickRejectCounts.ReasonCount; reason++)
            {
                rejected[TickRejectNames.Name(reason)] = metrics.TickRejects[reason];
            }

            return Results.Json(new
            {
                connections = metrics.OpenConnections,
                ticksPublished = host.Feeds.IngestPublisher?.Published ?? 0,
                ticksRejected = metrics.TickRejects.Total,
                rejectedByReason = rejected,
                messagesRejected = metrics.MessagesRejected,
            });
        });
    }

    private static async Task HandleAsync(
        HttpContext context,
        HandshakeGate gate,
        ConnectionLimiter limiter,
        EngineHost host,
        TokenService tokens,
        IngestMetrics metrics,
        GatewayMetrics gatewayMetrics,
        IOptions<FeedsOptions> feeds,
        IOptions<AuthOptions> auth,
        IOptions<GatewayOptions> gateway,
        IHostApplicationLifetime lifetime,
        TimeProvider clock,
        ILoggerFactory loggerFactory)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(context, StatusCodes.Status426UpgradeRequired, NotWebSocketBody).ConfigureAwait(false);
            return;
        }

        var outcome = await gate.CheckAsync(context).ConfigureAwait(false);
        if (!outcome.Accepted)
        {
            gatewayMetrics.HandshakeRefused(outcome.RefusalReason ?? "refused");
            await RefuseAsync(context, outcome.StatusCode, outcome.RefusalBody ?? "{}").ConfigureAwait(false);
            return;
        }

        var publisher = host.Feeds.IngestPublisher ?? throw new InvalidOperationException("Ingest is enabled but the feed host has no ingest publisher.");
        var g = gateway.Value;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = WireProtocol.SubProtocol,
            KeepAliveInterval = g.KeepAliveInterval,
            KeepAliveTimeout = g.KeepAliveTimeout,
        }).ConfigureAwait(false);

        var sessionId = "i-" + Interlocked.Increment(ref s_sessions).ToString("x", CultureInfo.InvariantCulture);
        var logger = loggerFactory.CreateLogger<IngestSession>();
        var ingest = feeds.Value.Ingest;
        var settings = new IngestSettings(ingest.MaxMessageBytes, ingest.MaxTicksPerMessage, ingest.MaxTicksPerSecond, auth.Value.AuthenticateTimeout, g.MaxFrameBytes);
        using var session = new IngestSession(socket, sessionId, outcome.Grant, settings, tokens, publisher, host.Feeds.CreateIngestValidator(), metrics, clock, logger);

        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (limiter.TryAcquire(address) != ConnectionRefusal.None)
        {
            // Upgraded first so the publisher gets the protocol's close code (docs/protocol.md §6, 4003).
            await session.CloseAsync(CloseCode.TooManyConnections, "too many connections", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        metrics.Opened();
        Log.Opened(logger, sessionId, address);
        try
        {
            await session.RunAsync(HandshakeHadToken(context), context.RequestAborted, lifetime.ApplicationStopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The publisher went away mid-message; whatever it had sent and was acknowledged is in the ring.
            Log.Dropped(logger, sessionId);
        }
        finally
        {
            metrics.Closed();
            limiter.Release(address);
            Log.Closed(logger, sessionId);
        }
    }

    /// <summary>True when the handshake carried a token (subprotocol entry or query), as <see cref="HandshakeGate"/> reads them.</summary>
    private static bool HandshakeHadToken(HttpContext context)
    {
        foreach (var entry in context.WebSockets.WebSocketRequestedProtocols)
        {
            if (entry.StartsWith(WireProtocol.TokenSubProtocolPrefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return context.Request.Query.ContainsKey(WireProtocol.AccessTokenQueryParameter);
    }

    private static async Task RefuseAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Information, "Ingest session {SessionId} opened from {Address}")]
        public static partial void Opened(ILogger logger, string sessionId, IPAddress address);

        [LoggerMessage(11, LogLevel.Information, "Ingest session {SessionId} closed")]
        public static partial void Closed(ILogger logger, string sessionId);

        [LoggerMessage(12, LogLevel.Debug, "Ingest session {SessionId} dropped by the peer")]
        public static partial void Dropped(ILogger logger, string sessionId);
    }
}
