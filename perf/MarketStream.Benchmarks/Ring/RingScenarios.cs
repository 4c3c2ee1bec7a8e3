using System.Runtime.CompilerServices;
using System.Diagnostics;
using MarketStream.Core.Ring;

namespace MarketStream.Benchmarks.Ring;

/// <summary>The ring side of each throughput scenario. Threads are created before the clock starts.</summary>
internal static class RingScenarios
{
    public const int BufferSize = 1 << 16;

    /// <summary>One producer (this thread) → one consumer stage.</summary>
    public static RoundResult OneToOne(long events, IWaitStrategy waitStrategy)
    {
        var probe = new ConsumerProbe(events);
        using var pipeline = new RingPipeline<PerfEvent>(BufferSize, ProducerType.Single, waitStrategy);
        pipeline.HandleWith(new SummingHandler(probe, readStage: false));
        pipeline.Start();
        var ring = pipeline.RingBuffer;

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        Produce(ring, events);
        probe.Done.Wait();
        var elapsed = Stopwatch.GetElapsedTime(started);
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;

        Verify(probe, events, expectedSum: events * (events - 1) / 2);
        return new RoundResult(events / elapsed.TotalSeconds, (double)probe.Count / probe.Batches, (double)allocated / events);
    }

    /// <summary>Three producer threads → one consumer stage on a multi-producer ring.</summary>
    public static RoundResult ThreeToOne(long events, IWaitStrategy waitStrategy)
    {
        const int Producers = 3;
        var perProducer = events / Producers;
        events = perProducer * Producers;
        var probe = new ConsumerProbe(events);
        using var pipeline = new RingPipeline<PerfEvent>(BufferSize, ProducerType.Multi, waitStrategy);
        pipeline.HandleWith(new SummingHandler(probe, readStage: false));
        pipeline.Start();
        var ring = pipeline.RingBuffer;

        using var gate = new ManualResetEventSlim(false);
        var threads = new Thread[Producers];
        for (var p = 0; p < Producers; p++)
        {
            threads[p] = new Thread(() =>
            {
                gate.Wait();
                Produce(ring, perProducer);
            })
            { IsBackground = true, Name = "ring-producer-" + p };
            threads[p].Start();
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        gate.Set();
        probe.Done.Wait();
        var elapsed = Stopwatch.GetElapsedTime(started);
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        foreach (var thread in threads)
        {
            thread.Join();
        }

        Verify(probe, events, expectedSum: Producers * (perProducer * (perProducer - 1) / 2));
        return new RoundResult(events / elapsed.TotalSeconds, (double)probe.Count / probe.Batches, (double)allocated / events);
    }

    /// <summary>One producer (this thread) → stage A (writes a field) → stage B (checks and sums it).</summary>
    public static RoundResult Pipeline(long events, IWaitStrategy waitStrategy)
    {
        var probe = new ConsumerProbe(events);
        using var pipeline = new RingPipeline<PerfEvent>(BufferSize, ProducerType.Single, waitStrategy);
        var stageA = pipeline.HandleWith(default(StageAHandler));
        pipeline.HandleWith(new SummingHandler(probe, readStage: true), stageA);
        pipeline.Start();
        var ring = pipeline.RingBuffer;

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        Produce(ring, events);

        probe.Done.Wait();
        var elapsed = Stopwatch.GetElapsedTime(started);
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;

        Verify(probe, events, expectedSum: events * (events - 1) / 2);
        return new RoundResult(events / elapsed.TotalSeconds, (double)probe.Count / probe.Batches, (double)allocated / events);
    }

    // Called a handful of times per process: compile optimised at once instead of running the
    // loop in tier-0 / OSR code, as a long-lived feed thread would be after warm-up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Produce(RingBuffer<PerfEvent> ring, long events)
    {
        for (long i = 0; i < events; i++)
        {
            var sequence = ring.Next();
            ref var slot = ref ring[sequence];
            slot.Value = i;
            slot.Stage = 0;
            ring.Publish(sequence);
        }
    }

    private static void Verify(ConsumerProbe probe, long events, long expectedSum)
    {
        if (probe.Count != events || probe.Sum != expectedSum || probe.Errors != 0)
        {
            throw new InvalidOperationException(
                $"Ring run is wrong: count {probe.Count}/{events}, sum {probe.Sum}/{expectedSum}, ordering errors {probe.Errors}.");
        }
    }
}
