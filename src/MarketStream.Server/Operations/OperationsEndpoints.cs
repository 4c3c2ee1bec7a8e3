using MarketStream.Server.Hosting;
using OpenTelemetry.Metrics;

namespace MarketStream.Server.Operations;

/// <summary>
/// The operations surface (docs/operations.md): liveness, readiness, Prometheus metrics and the
/// symbol reference data.
/// </summary>
internal static class OperationsEndpoints
{
    public static void Map(WebApplication app)
    {
        // Liveness: the process answers. Readiness: the pipeline runs and no feed is faulted or stalled;
        // a journal that is not keeping up is reported as degraded.
        app.MapGet("/healthz", static () => Results.Text("ok"));
        app.MapGet("/readyz", static (EngineHost host) =>
        {
            if (!host.IsRunning)
            {
                return Results.Json(new { ready = false, reason = "engine_not_running" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            foreach (var feed in host.Feeds.GetStatus())
            {
                if (feed.State == MarketStream.Feeds.Hosting.FeedState.Faulted || feed.IsStalled)
                {
                    return Results.Json(new { ready = false, reason = "feed_unhealthy", feed = feed.Name, state = feed.State.ToString(), stalled = feed.IsStalled }, statusCode: StatusCodes.Status503ServiceUnavailable);
                }
            }

            // A paused or faulted journal degrades the node but live streaming goes on: still ready.
            if (host.Journal is { State: MarketStream.Journal.JournalState.Paused or MarketStream.Journal.JournalState.Faulted } journal)
            {
                return Results.Json(new { ready = true, degraded = journal.State == MarketStream.Journal.JournalState.Paused ? "journal_paused" : "journal_faulted" });
            }

            return Results.Json(new { ready = true });
        });
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapGet("/api/symbols", static (EngineHost host) =>
        {
            var symbols = new List<object>(host.Registry.Count);
            for (var id = 0; id < host.Registry.Count; id++)
            {
                if (host.Registry.TryGet(id, out var s))
                {
                    symbols.Add(new { id = s.Id, name = s.Name, priceScale = s.PriceScale, sizeScale = s.SizeScale, currency = s.Currency, venue = s.Venue });
                }
            }

            return Results.Json(symbols);
        });
        app.MapGet("/api/feeds", static (EngineHost host) => Results.Json(host.Feeds.GetStatus()));
        app.MapGet("/api/cluster", static (EngineHost host) => Results.Json(host.Cluster.GetStatus()));
    }
}
