using System.Diagnostics.Metrics;

namespace MarketStream.Server.Operations;

/// <summary>
/// The gateway's instruments on <see cref="System.Diagnostics.Metrics"/>, exported at
/// <c>/metrics</c> in Prometheus text format. Per-update work never touches an instrument:
/// sessions add once per frame, and engine figures are read by observable instruments at
/// scrape time, so metrics cost nothing on the tick path.
/// </summary>
internal sealed class GatewayMetrics : IDisposable
{
    /// <summary>Meter name; docs/operations.md lists every instrument under it.</summary>
    public const string MeterName = "MarketStream";

    private readonly Meter _meter;
    private readonly Counter<long> _connectionsOpened;
    private readonly Counter<long> _connectionsRefused;
    private readonly StripedCounter _framesOut = new();
    private readonly StripedCounter _updatesOut = new();
    private readonly StripedCounter _bytesOut = new();
    private readonly StripedCounter _mergedOut = new();
    private readonly Counter<long> _messagesIn;
    private readonly Counter<long> _protocolErrors;
    private readonly Counter<long> _closes;
    private long _openConnections;
    private long _subscriptions;
    private long _slowConsumerCloses;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _connectionsOpened = _meter.CreateCounter<long>("marketstream.connections.opened", description: "WebSocket sessions accepted.");
        _connectionsRefused = _meter.CreateCounter<long>("marketstream.connections.refused", description: "Handshakes refused, by reason.");
        // Added to by every session writer once per frame: striped cells, read at scrape time.
        _meter.CreateObservableCounter("marketstream.frames.out", _framesOut.Read, description: "Binary frames sent to clients.");
        _meter.CreateObservableCounter("marketstream.updates.out", _updatesOut.Read, description: "Updates (plain and merged) sent to clients.");
        _meter.CreateObservableCounter("marketstream.bytes.out", _bytesOut.Read, unit: "By", description: "Payload bytes sent to clients.");
        _messagesIn = _meter.CreateCounter<long>("marketstream.messages.in", description: "Client requests received.");
        _protocolErrors = _meter.CreateCounter<long>("marketstream.protocol.errors", description: "Client requests refused, by error code.");
        _closes = _meter.CreateCounter<long>("marketstream.sessions.closed", description: "Sessions closed, by close code.");
        _meter.CreateObservableUpDownCounter("marketstream.connections", () => Volatile.Read(ref _openConnections), description: "Open WebSocket sessions.");
        // Observable, so they are listed at 0 before the first one happens (an alert can rely on them).
        _meter.CreateObservableCounter("marketstream.updates.merged", _mergedOut.Read, description: "Merged updates sent (conflation, max rate, max lag), a subset of updates.out.");
        _meter.CreateObservableCounter("marketstream.slow_consumer.closes", () => Volatile.Read(ref _slowConsumerCloses), description: "Sessions closed or dropped as slow consumers (4000).");
        _meter.CreateObservableUpDownCounter("marketstream.subscriptions", () => Volatile.Read(ref _subscriptions), description: "Symbols subscribed across all sessions.");
    }

    /// <summary>The meter, for engine and feed figures registered as observable instruments.</summary>
    public Meter Meter => _meter;

    public void SessionOpened()
    {
        Interlocked.Increment(ref _openConnections);
        _connectionsOpened.Add(1);
    }

    public void SessionClosed(int closeCode)
    {
        Interlocked.Decrement(ref _openConnections);
        if (closeCode == 4000)
        {
            Interlocked.Increment(ref _slowConsumerCloses);
        }

        _closes.Add(1, new KeyValuePair<string, object?>("code", closeCode));
    }

    public void HandshakeRefused(string reason) => _connectionsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void SubscriptionsChanged(int delta) => Interlocked.Add(ref _subscriptions, delta);

    public void FrameSent(int updates, int bytes, int merged = 0)
    {
        _framesOut.Add(1);
        _updatesOut.Add(updates);
        if (merged > 0)
        {
            _mergedOut.Add(merged);
        }

        _bytesOut.Add(bytes);
    }

    public void MessageReceived() => _messagesIn.Add(1);

    public void ProtocolError(int errorCode) => _protocolErrors.Add(1, new KeyValuePair<string, object?>("code", errorCode));

    public void Dispose() => _meter.Dispose();
}
