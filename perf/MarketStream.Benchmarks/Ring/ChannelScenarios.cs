using System.Diagnostics;
using System.Threading.Channels;

namespace MarketStream.Benchmarks.Ring;

/// <summary>
/// The same three scenarios on bounded <see cref="Channel{T}"/>s of the ring's capacity, used the
/// idiomatic way (TryWrite/WriteAsync producers, WaitToReadAsync + TryRead drain loops).
/// "Batch" is the number of items drained per WaitToReadAsync wake-up.
/// </summary>
internal static class ChannelScenarios
{
    public static RoundResult OneToOne(long events)
    {
        var channel = CreateChannel(singleWriter: true);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var consumer = Task.Run(() => ConsumeAsync(channel.Reader, readStage: false));
        var producer = Task.Run(() => ProduceAsync(channel.Writer, events, complete: true));
        Task.WaitAll(producer, consumer);
        var elapsed = Stopwatch.GetElapsedTime(started);
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;

        var (count, sum, batches) = consumer.Result;
        Verify(count, sum, events, events * (events - 1) / 2);
        return new RoundResult(events / elapsed.TotalSeconds, (double)count / batches, (double)allocated / events);
    }

    public static RoundResult ThreeToOne(long events)
    {
        const int Producers = 3;
        var perProducer = events / Producers;
        events = perProducer * Producers;
        var channel = CreateChannel(singleWriter: false);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var consumer = Task.Run(() => ConsumeAsync(channel.Reader, readStage: false));
        var producers = new Task[Producers];
        for (var p = 0; p < Producers; p++)
        {
            producers[p] = Task.Run(() => ProduceAsync(channel.Writer, perProducer, complete: false));
        }

        Task.WaitAll(producers);
        channel.Writer.Complete();
        consumer.Wait();
        var elapsed = Stopwatch.GetElapsedTime(started);
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;

        var (count, sum, batches) = consumer.Result;
        Verify(count, sum, events, Producers * (perProducer * (perProducer - 1) / 2));
        return new RoundResult(events / elapsed.TotalSeconds, (double)count / batches, (double)allocated / events);
    }

    public static RoundResult Pipeline(long events)
    {
        var toA = CreateChannel(singleWriter: true);
        var toB = CreateChannel(singleWriter: true);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var consumer = Task.Run(() => ConsumeAsync(toB.Reader, readStage: true));
        var stageA = Task.Run(() => StageAAsync(toA.Reader, toB.Writer));
        var producer = Task.Run(() => ProduceAsync(toA.Writer, events, complete: true));
        Task.WaitAll(producer, stageA, consumer);
        var elapsed = Stopwatch.GetElapsedTime(started);
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;

        var (count, sum, batches) = consumer.Result;
        Verify(count, sum, events, events * (events - 1) / 2);
        return new RoundResult(events / elapsed.TotalSeconds, (double)count / batches, (double)allocated / events);
    }

    private static Channel<PerfEvent> CreateChannel(bool singleWriter)
        => Channel.CreateBounded<PerfEvent>(new BoundedChannelOptions(RingScenarios.BufferSize)
        {
            SingleReader = true,
            SingleWriter = singleWriter,
            FullMode = BoundedChannelFullMode.Wait,
            AllowSynchronousContinuations = false,
        });

    private static async Task ProduceAsync(ChannelWriter<PerfEvent> writer, long events, bool complete)
    {
        for (long i = 0; i < events; i++)
        {
            var item = new PerfEvent { Value = i };
            if (!writer.TryWrite(item))
            {
                await writer.WriteAsync(item).ConfigureAwait(false);
            }
        }

        if (complete)
        {
            writer.Complete();
        }
    }

    private static async Task StageAAsync(ChannelReader<PerfEvent> reader, ChannelWriter<PerfEvent> writer)
    {
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                item.Stage = item.Value + 1;
                if (!writer.TryWrite(item))
                {
                    await writer.WriteAsync(item).ConfigureAwait(false);
                }
            }
        }

        writer.Complete();
    }

    private static async Task<(long Count, long Sum, long Batches)> ConsumeAsync(ChannelReader<PerfEvent> reader, bool readStage)
    {
        long count = 0, sum = 0, batches = 0;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batches++;
            while (reader.TryRead(out var item))
            {
                sum += readStage ? item.Stage - 1 : item.Value;
                count++;
            }
        }

        return (count, sum, batches);
    }

    private static void Verify(long count, long sum, long events, long expectedSum)
    {
        if (count != events || sum != expectedSum)
        {
            throw new InvalidOperationException($"Channel run is wrong: count {count}/{events}, sum {sum}/{expectedSum}.");
        }
    }
}
