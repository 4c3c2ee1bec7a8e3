using MarketStream.Core.Ring;

namespace MarketStream.Core.Tests.Ring;

/// <summary>How a test producer claims: one slot, a batch, or non-blocking attempts.</summary>
internal enum ClaimMode
{
    Single,
    Batch,
    Try,
}

/// <summary>Producer threads for the stress tests.</summary>
internal static class Producers
{
    /// <summary>Starts a thread publishing <paramref name="count"/> events tagged with <paramref name="producerId"/>.</summary>
    public static Thread Start(RingBuffer<TestEvent> ring, int producerId, long count, ClaimMode mode, ManualResetEventSlim? gate = null)
    {
        var thread = new Thread(() =>
        {
            gate?.Wait();
            Publish(ring, producerId, count, mode);
        })
        { IsBackground = true, Name = "test-producer-" + producerId };
        thread.Start();
        return thread;
    }

    public static void Publish(RingBuffer<TestEvent> ring, int producerId, long count, ClaimMode mode)
    {
        var random = new Random(producerId);
        long index = 0;
        while (index < count)
        {
            switch (mode)
            {
                case ClaimMode.Single:
                {
                    var sequence = ring.Next();
                    Write(ref ring[sequence], producerId, index++);
                    ring.Publish(sequence);
                    break;
                }

                case ClaimMode.Batch:
                {
                    var n = (int)Math.Min(count - index, random.Next(1, Math.Min(17, ring.BufferSize + 1)));
                    var high = ring.Next(n);
                    var low = high - n + 1;
                    for (var sequence = low; sequence <= high; sequence++)
                    {
                        Write(ref ring[sequence], producerId, index++);
                    }

                    ring.Publish(low, high);
                    break;
                }

                case ClaimMode.Try:
                {
                    if (ring.TryNext(out var sequence))
                    {
                        Write(ref ring[sequence], producerId, index++);
                        ring.Publish(sequence);
                    }
                    else
                    {
                        Thread.Yield();
                    }

                    break;
                }
            }
        }
    }

    private static void Write(ref TestEvent slot, int producerId, long index)
    {
        slot.ProducerId = producerId;
        slot.Index = index;
        slot.Stage = 0;
    }
}
