using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MarketStream.Server.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace MarketStream.IntegrationTests.Infrastructure;

/// <summary>
/// Reads one server's gateway instruments as an exporter does (a <see cref="MeterListener"/> on that server's
/// own meter, so the servers of tests running in parallel do not mix in): sessions closed by code and the
/// slow-consumer close counter.
/// </summary>
public sealed class GatewayMeterReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<int, long> _closedByCode = new();
    private long _slowConsumerCloses;

    public GatewayMeterReader(RunningServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var meter = server.Services.GetRequiredService<GatewayMetrics>().Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name is "marketstream.sessions.closed" or "marketstream.slow_consumer.closes")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "marketstream.slow_consumer.closes")
            {
                Interlocked.Exchange(ref _slowConsumerCloses, value);
                return;
            }

            foreach (var tag in tags)
            {
                if (tag.Key == "code" && tag.Value is int code)
                {
                    _closedByCode.AddOrUpdate(code, value, (_, total) => total + value);
                }
            }
        });
        _listener.Start();
    }

    /// <summary>Sessions closed (or dropped) with <paramref name="code"/> recorded as their end.</summary>
    public long Closed(int code) => _closedByCode.TryGetValue(code, out var count) ? count : 0;

    /// <summary><c>marketstream_slow_consumer_closes_total</c> as an exporter would read it now.</summary>
    public long SlowConsumerCloses()
    {
        _listener.RecordObservableInstruments();
        return Interlocked.Read(ref _slowConsumerCloses);
    }

    public void Dispose() => _listener.Dispose();
}
