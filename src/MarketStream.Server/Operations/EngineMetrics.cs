using MarketStream.Server.Hosting;

namespace MarketStream.Server.Operations;

/// <summary>
/// Engine, ring and feed figures as observable instruments on the gateway's meter: read at
/// scrape time from counters the pipeline keeps anyway, so they cost the tick path nothing.
/// </summary>
internal sealed class EngineMetrics
{
    public EngineMetrics(GatewayMetrics gateway, EngineHost host)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(host);
        var meter = gateway.Meter;
        var engine = host.Engine;
        meter.CreateObservableCounter("marketstream.ticks.in", () => host.Ring.Cursor + 1, description: "Ticks published into the ring by all feeds.");
        meter.CreateObservableCounter("marketstream.ticks.sequenced", () => engine.TicksSequenced, description: "Ticks numbered by the sequencer stage.");
        meter.CreateObservableCounter("marketstream.ticks.dropped", () => engine.TicksDropped, description: "Ticks the sequencer dropped (stale or duplicate upstream sequence).");
        meter.CreateObservableCounter("marketstream.stage.sequencer.processed", () => host.SequencerPosition, description: "Ring slots through the sequencer stage.");
        meter.CreateObservableCounter("marketstream.stage.fanout.processed", () => host.FanOutPosition, description: "Ring slots through the fan-out stage.");
        meter.CreateObservableCounter("marketstream.updates.offered", () => engine.UpdatesOffered, description: "Updates offered to session outboxes by fan-out.");
        meter.CreateObservableGauge("marketstream.ring.lag", () => host.RingLag, description: "Ticks published but not yet through fan-out.");
        meter.CreateObservableGauge("marketstream.symbols", () => host.Registry.Count, description: "Symbols in the registry.");
        meter.CreateObservableCounter("marketstream.feed.ticks", () => FeedMeasurements(host, static s => s.TicksPublished), description: "Ticks published, per feed.");
        meter.CreateObservableCounter("marketstream.feed.rejected", () => FeedMeasurements(host, static s => s.Rejected), description: "Ticks rejected by validation, per feed.");
        meter.CreateObservableCounter("marketstream.feed.restarts", () => FeedMeasurements(host, static s => s.Restarts), description: "Feed handler restarts after a failure, per feed.");
        meter.CreateObservableGauge("marketstream.feed.stalled", () => FeedMeasurements(host, static s => s.IsStalled ? 1 : 0), description: "1 while a feed that should produce has gone quiet.");
    }

    private static IEnumerable<System.Diagnostics.Metrics.Measurement<long>> FeedMeasurements(EngineHost host, Func<MarketStream.Feeds.Hosting.FeedStatus, long> value)
    {
        foreach (var status in host.Feeds.GetStatus())
        {
            yield return new(value(status), new KeyValuePair<string, object?>("feed", status.Name));
        }
    }
}
