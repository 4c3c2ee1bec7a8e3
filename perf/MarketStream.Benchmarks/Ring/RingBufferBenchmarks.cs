using BenchmarkDotNet.Attributes;
using MarketStream.Core.Ring;
using MarketStream.Model;

namespace MarketStream.Benchmarks.Ring;

/// <summary>
/// Cost of claim + write-in-place + publish on one thread, for each sequencer, with a stand-in
/// consumer sequence that keeps up (no second thread, so this is the producer's own cost).
/// Allocated must read 0 B: a publish allocates nothing.
/// </summary>
[MemoryDiagnoser]
public class RingBufferBenchmarks
{
    private const int Events = 4096;

    private RingBuffer<Tick> _single = null!;
    private RingBuffer<Tick> _multi = null!;
    private Sequence _singleConsumer = null!;
    private Sequence _multiConsumer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _single = new RingBuffer<Tick>(ProducerType.Single, 1024, new BusySpinWaitStrategy());
        _multi = new RingBuffer<Tick>(ProducerType.Multi, 1024, new BusySpinWaitStrategy());
        _singleConsumer = new Sequence();
        _multiConsumer = new Sequence();
        _single.AddGatingSequences(_singleConsumer);
        _multi.AddGatingSequences(_multiConsumer);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public void SingleProducer_NextPublish()
    {
        var ring = _single;
        for (var i = 0; i < Events; i++)
        {
            var sequence = ring.Next();
            ref var tick = ref ring[sequence];
            tick.SymbolId = i;
            tick.Price = sequence;
            ring.Publish(sequence);
            _singleConsumer.SetValue(sequence);
        }
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public void MultiProducer_NextPublish()
    {
        var ring = _multi;
        for (var i = 0; i < Events; i++)
        {
            var sequence = ring.Next();
            ref var tick = ref ring[sequence];
            tick.SymbolId = i;
            tick.Price = sequence;
            ring.Publish(sequence);
            _multiConsumer.SetValue(sequence);
        }
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public void SingleProducer_BatchOf16()
    {
        var ring = _single;
        for (var i = 0; i < Events; i += 16)
        {
            var high = ring.Next(16);
            var low = high - 15;
            for (var sequence = low; sequence <= high; sequence++)
            {
                ref var tick = ref ring[sequence];
                tick.SymbolId = i;
                tick.Price = sequence;
            }

            ring.Publish(low, high);
            _singleConsumer.SetValue(high);
        }
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public void MultiProducer_BatchOf16()
    {
        var ring = _multi;
        for (var i = 0; i < Events; i += 16)
        {
            var high = ring.Next(16);
            var low = high - 15;
            for (var sequence = low; sequence <= high; sequence++)
            {
                ref var tick = ref ring[sequence];
                tick.SymbolId = i;
                tick.Price = sequence;
            }

            ring.Publish(low, high);
            _multiConsumer.SetValue(high);
        }
    }
}
