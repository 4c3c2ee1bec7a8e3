using System.Net;
using MarketStream.Core.Sessions;
using MarketStream.Core.Symbols;
using MarketStream.Model;
using MarketStream.Protocol;
using MarketStream.Server.Auth;
using MarketStream.Server.Gateway;
using MarketStream.Server.Hosting;
using Microsoft.Extensions.Options;

namespace MarketStream.Server.Sse;

/// <summary>
/// <c>GET /sse</c>: the read-only Server-Sent Events fallback (docs/sse.md). Everything the WebSocket
/// gateway decides before an upgrade is decided here before the first byte of the stream — origin,
/// token, entitlements, symbol and connection limits — and refused with plain HTTP and a JSON body
/// carrying the protocol's stable code; then <see cref="SseStream"/> runs the stream.
/// </summary>
internal static partial class SseEndpoint
{
    public const string Path = "/sse";

    public static void Map(WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<SseOptions>>().Value.Enabled)
        {
            return;
        }

        // Observable instruments register on first resolution.
        app.Services.GetRequiredService<SseMetrics>();
        app.MapGet(Path, HandleAsync);
    }

    private static async Task HandleAsync(
        HttpContext context,
        EngineHost host,
        TokenService tokens,
        OriginPolicy origins,
        ConnectionLimiter limiter,
        SseMetrics metrics,
        IOptions<SseOptions> sseOptions,
        IOptions<GatewayOptions> gatewayOptions,
        IOptions<EngineHostOptions> engineOptions,
        IOptions<AuthOptions> authOptions,
        IHostApplicationLifetime lifetime,
        TimeProvider clock,
        ILoggerFactory loggerFactory)
    {
        var request = context.Request;
        if (!origins.IsAllowed(request.Headers.Origin, $"{request.Scheme}://{request.Host}"))
        {
            await RefuseAsync(context, metrics, StatusCodes.Status403Forbidden, "origin_not_allowed", 0, "origin is not allowed").ConfigureAwait(false);
            return;
        }

        // Token: Authorization: Bearer first (fetch-based clients), else ?access_token= (EventSource cannot set headers).
        string? token = null;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = authorization["Bearer ".Length..].Trim();
        }
        else if (request.Query.TryGetValue(WireProtocol.AccessTokenQueryParameter, out var fromQuery))
        {
            token = fromQuery.ToString();
        }

        AccessGrant grant;
        if (string.IsNullOrEmpty(token))
        {
            if (authOptions.Value.Mode != AuthMode.Anonymous)
            {
                await RefuseAsync(context, metrics, StatusCodes.Status401Unauthorized, "token_required", (int)ErrorCode.AuthenticationRequired, "a token is required (Authorization: Bearer or ?access_token=)").ConfigureAwait(false);
                return;
            }

            grant = AccessGrant.Anonymous(authOptions.Value.EffectiveAnonymousPatterns);
        }
        else
        {
            var (validated, failure) = await tokens.ValidateAsync(token).ConfigureAwait(false);
            if (validated is null)
            {
                var expired = failure == AuthFailure.Expired;
                await RefuseAsync(context, metrics, StatusCodes.Status401Unauthorized, expired ? "token_expired" : "invalid_token", (int)(expired ? ErrorCode.TokenExpired : ErrorCode.InvalidToken), expired ? "token expired" : "token rejected").ConfigureAwait(false);
                return;
            }

            grant = validated;
        }

        var parsed = ParseQuery(request.Query, host.Registry, grant, Math.Min(sseOptions.Value.MaxSymbols, gatewayOptions.Value.MaxSymbolsPerConnection), out var refusal);
        if (parsed is null)
        {
            await RefuseAsync(context, metrics, refusal.Status, refusal.Error, refusal.Code, refusal.Detail).ConfigureAwait(false);
            return;
        }

        var lastEventId = request.Headers["Last-Event-ID"].ToString();
        if (lastEventId.Length == 0 && request.Query.TryGetValue("lastEventId", out var idFromQuery))
        {
            lastEventId = idFromQuery.ToString();
        }

        var sse = parsed with { LastEventId = lastEventId.Length > 0 ? lastEventId : null, TokenExpiresAt = grant.ExpiresAt };
        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        var refused = limiter.TryAcquire(address);
        if (refused != ConnectionRefusal.None)
        {
            await RefuseAsync(context, metrics, StatusCodes.Status429TooManyRequests, "too_many_connections", (int)CloseCode.TooManyConnections,
                refused == ConnectionRefusal.TooManyFromAddress ? "too many connections from this address" : "too many connections").ConfigureAwait(false);
            return;
        }

        metrics.Opened();
        try
        {
            var outboxOptions = new OutboxOptions
            {
                // Full-mode references point into history: a queue longer than the history only turns into resets.
                FullQueueCapacity = Math.Min(gatewayOptions.Value.FullModeQueueCapacity, engineOptions.Value.HistoryDepth),
                MaxSubscriptions = Math.Max(1, sse.Symbols.Length),
            };
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            var stream = new SseStream(context, host.Engine, sse, outboxOptions, sseOptions.Value, metrics, clock, loggerFactory.CreateLogger<SseStream>());
            await stream.RunAsync(stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            metrics.Closed();
            limiter.Release(address);
        }
    }

    /// <summary>Reads <c>symbols</c>, <c>mode</c> and <c>maxRateMs</c>; null with the refusal when the request cannot be served.</summary>
    internal static SseRequest? ParseQuery(IQueryCollection query, SymbolRegistry registry, AccessGrant grant, int maxSymbols, out SseRefusal refusal)
    {
        refusal = default;
        var patterns = new List<SymbolPattern>();
        foreach (var value in query["symbols"])
        {
            foreach (var part in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!SymbolPattern.TryParse(part, out var pattern, out var error))
                {
                    refusal = new SseRefusal(StatusCodes.Status400BadRequest, "invalid_pattern", (int)ErrorCode.InvalidPattern, $"'{part}': {error}");
                    return null;
                }

                if (!SymbolEntitlement.Covers(grant.SymbolPatterns, pattern))
                {
                    refusal = new SseRefusal(StatusCodes.Status403Forbidden, "not_entitled", (int)ErrorCode.NotEntitled, $"not entitled to '{part}'");
                    return null;
                }

                patterns.Add(pattern);
            }
        }

        if (patterns.Count == 0)
        {
            refusal = new SseRefusal(StatusCodes.Status400BadRequest, "symbols_required", (int)ErrorCode.InvalidField, "?symbols= must name at least one symbol or pattern");
            return null;
        }

        var mode = DeliveryMode.Conflated;
        var modeName = query["mode"].ToString();
        if (modeName.Length == 0 || modeName is "conflated" or "0")
        {
            modeName = "conflated";
        }
        else if (modeName is "full" or "1")
        {
            mode = DeliveryMode.Full;
            modeName = "full";
        }
        else
        {
            refusal = new SseRefusal(StatusCodes.Status400BadRequest, "invalid_mode", (int)ErrorCode.InvalidField, "mode must be conflated or full");
            return null;
        }

        var maxRateMs = 0;
        var rate = query["maxRateMs"].ToString();
        if (rate.Length > 0 && (!int.TryParse(rate, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out maxRateMs) || maxRateMs > SubscriptionLimits.MaxIntervalMs))
        {
            refusal = new SseRefusal(StatusCodes.Status400BadRequest, "invalid_max_rate", (int)ErrorCode.InvalidField, $"maxRateMs must be an integer from 0 to {SubscriptionLimits.MaxIntervalMs}");
            return null;
        }

        var matches = new List<SymbolInfo>();
        var seen = new HashSet<int>();
        var symbols = new List<SymbolInfo>();
        foreach (var pattern in patterns)
        {
            matches.Clear();
            registry.Match(pattern, matches);
            if (matches.Count == 0)
            {
                refusal = new SseRefusal(StatusCodes.Status404NotFound, "unknown_symbol", (int)ErrorCode.UnknownSymbol, $"'{pattern}' matches no symbol");
                return null;
            }

            foreach (var symbol in matches)
            {
                if (seen.Add(symbol.Id))
                {
                    symbols.Add(symbol);
                }
            }

            if (symbols.Count > maxSymbols)
            {
                refusal = new SseRefusal(StatusCodes.Status400BadRequest, "too_many_symbols", (int)ErrorCode.TooManySymbols, $"the stream would cover more than {maxSymbols} symbols");
                return null;
            }
        }

        // Canonical order: the event id lists positions in this order, so it must not depend on how the query was written.
        symbols.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new SseRequest([.. symbols], new SubscriptionOptions(mode, maxRateMs, 0, OverflowPolicy.Degrade), modeName, null, null);
    }

    private static async Task RefuseAsync(HttpContext context, SseMetrics metrics, int status, string error, int code, string detail)
    {
        metrics.Refused(error);
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new SseErrorBody(error, code, detail), context.RequestAborted).ConfigureAwait(false);
    }
}
