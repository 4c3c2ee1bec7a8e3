using MarketStream.Model;
using MarketStream.Protocol;
using System.Diagnostics.Metrics;
using MarketStream.Feeds.Validation;
using MarketStream.Server.Hosting;
using MarketStream.Server.Operations;

namespace MarketStream.Server.Ingest;

/// <summary>
/// Ingest endpoint instruments on the gateway's meter (exported at <c>/metrics</c>): rejected
/// ticks by reason (read at scrape time from the feed host's shared <see cref="TickRejectCounts"/>),
/// rejected messages by error code, open publisher connections. Also the figures of <c>/api/ingest</c>.
/// </summary>
internal sealed class IngestMetrics
{
    private readonly Counter<long> _messagesRejected;
    private readonly TickRejectCounts _rejects;
    private long _open;
    private long _messagesRejectedTotal;

    public IngestMetrics(GatewayMetrics gateway, EngineHost host)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(host);
        _rejects = host.Feeds.IngestRejects;
        var meter = gateway.Meter;
        _messagesRejected = meter.CreateCounter<long>("marketstream.ingest.messages.rejected", description: "Publisher messages refused whole (malformed, not permitted, too many ticks), by error code.");
        meter.CreateObservableCounter("marketstream.ingest.ticks.rejected", RejectMeasurements, description: "Published ticks refused by validation, by reason.");
        meter.CreateObservableUpDownCounter("marketstream.ingest.connections", () => Volatile.Read(ref _open), description: "Open ingest (publisher) connections.");
    }

    public long OpenConnections => Volatile.Read(ref _open);

    public long MessagesRejected => Volatile.Read(ref _messagesRejectedTotal);

    public TickRejectCounts TickRejects => _rejects;

    public void Opened() => Interlocked.Increment(ref _open);

    public void Closed() => Interlocked.Decrement(ref _open);

    public void MessageRejected(int errorCode)
    {
        Interlocked.Increment(ref _messagesRejectedTotal);
        _messagesRejected.Add(1, new KeyValuePair<string, object?>("code", errorCode));
    }

    private IEnumerable<Measurement<long>> RejectMeasurements()
    {
        for (var reason = IngestRejectCode.UnknownSymbol; (int)reason < TickRejectCounts.ReasonCount; reason++)
        {
            yield return new(_rejects[reason], new KeyValuePair<string, object?>("reason", TickRejectNames.Name(reason)));
        }
    }
}
