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
        if (host.Journal is { } journal)
        {
            meter.CreateObservableCounter("marketstream.journal.bytes_written", () => journal.BytesWritten, description: "Bytes written to journal segment files.");
            meter.CreateObservableCounter("marketstream.journal.records", () => journal.RecordsWritten, description: "Update and gap records written to the journal.");
            meter.CreateObservableCounter("marketstream.journal.missed", () => journal.Missed, description: "Sequenced updates not journaled (journal paused or faulted).");
            meter.CreateObservableCounter("marketstream.journal.faults", () => journal.Faults, description: "Journal write failures (I/O error, full disk).");
            meter.CreateObservableGauge("marketstream.journal.lag", () => host.JournalLag, description: "Updates sequenced but not yet written to a journal file.");
            meter.CreateObservableGauge("marketstream.journal.segments", () => journal.SegmentCount, description: "Journal segment files kept.");
            meter.CreateObservableGauge("marketstream.journal.oldest_retained_seconds", () => journal.OldestRetainedUnixNs / 1_000_000_000.0, description: "Creation time of the oldest journal segment kept, Unix seconds.");
            meter.CreateObservableGauge("marketstream.journal.state", () => (int)journal.State, description: "0 running, 1 paused (disk behind), 2 faulted (writes failing), 3 stopped.");
        }
    }

    private static IEnumerable<System.Diagnostics.Metrics.Measurement<long>> FeedMeasurements(EngineHost host, Func<MarketStream.Feeds.Hosting.FeedStatus, long> value)
    {
        foreach (var status in host.Feeds.GetStatus())
        {
            yield return new(value(status), new KeyValuePair<string, object?>("feed", status.Name));
        }
    }
}
