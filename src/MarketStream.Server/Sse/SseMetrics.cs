using System.Diagnostics.Metrics;
using MarketStream.Server.Operations;

namespace MarketStream.Server.Sse;

/// <summary>
/// SSE instruments on the gateway's meter (exported at <c>/metrics</c>): open streams, streams
/// refused by reason, and events and bytes written. Added once per flush, never per event.
/// </summary>
internal sealed class SseMetrics
{
    private readonly Counter<long> _opened;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _events;
    private readonly Counter<long> _bytes;
    private long _open;

    public SseMetrics(GatewayMetrics gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var meter = gateway.Meter;
        _opened = meter.CreateCounter<long>("marketstream.sse.streams.opened", description: "SSE streams accepted.");
        _refused = meter.CreateCounter<long>("marketstream.sse.streams.refused", description: "SSE requests refused, by reason.");
        _events = meter.CreateCounter<long>("marketstream.sse.events.out", description: "SSE data events (snapshot, reset, update, merged) written.");
        _bytes = meter.CreateCounter<long>("marketstream.sse.bytes.out", unit: "By", description: "SSE bytes written.");
        meter.CreateObservableUpDownCounter("marketstream.sse.streams", () => Volatile.Read(ref _open), description: "Open SSE streams.");
    }

    public void Opened()
    {
        Interlocked.Increment(ref _open);
        _opened.Add(1);
    }

    public void Closed() => Interlocked.Decrement(ref _open);

    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Written(long events, int bytes)
    {
        _events.Add(events);
        _bytes.Add(bytes);
    }
}
