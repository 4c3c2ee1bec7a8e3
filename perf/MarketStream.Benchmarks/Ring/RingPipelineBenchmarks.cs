using BenchmarkDotNet.Attributes;
using MarketStream.Core.Ring;
using MarketStream.Model;

namespace MarketStream.Benchmarks.Ring;

/// <summary>
/// Producer → stage through a running <see cref="RingPipeline{T}"/> of <see cref="Tick"/> slots:
/// each invocation publishes a burst and waits until the stage has processed it. Allocated counts
/// every thread, so 0 B per operation shows neither side allocates per event.
/// </summary>
[MemoryDiagnoser]
public class RingPipelineBenchmarks
{
    private const int Burst = 1 << 16;

    private RingPipeline<Tick> _pipeline = null!;
    private RingStage _stage = null!;

    [Params(ProducerType.Single, ProducerType.Multi)]
    public ProducerType Producers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pipeline = new RingPipeline<Tick>(1 << 14, Producers, new YieldingWaitStrategy());
        _stage = _pipeline.HandleWith(default(TickVolumeHandler));
        _pipeline.Start();
    }

    [GlobalCleanup]
    public void Cleanup() => _pipeline.Halt(TimeSpan.FromSeconds(5));

    [Benchmark(OperationsPerInvoke = Burst)]
    public long PublishBurst_UntilProcessed()
    {
        var ring = _pipeline.RingBuffer;
        long last = 0;
        for (var i = 0; i < Burst; i++)
        {
            last = ring.Next();
            ref var tick = ref ring[last];
            tick.SymbolId = i & 255;
            tick.Kind = TickKind.Trade;
            tick.Price = 100_00 + (i & 63);
            tick.Size = 1 + (i & 7);
            ring.Publish(last);
        }

        var spinner = default(SpinWait);
        while (_stage.Sequence.Value < last)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return last;
    }

    private struct TickVolumeHandler : IEventHandler<Tick>
    {
        private long _volume;

        public void OnEvent(ref Tick data, long sequence, bool endOfBatch) => _volume += data.Size;
    }
}
