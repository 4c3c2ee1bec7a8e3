using MarketStream.Core.Ring;

namespace MarketStream.Core.Tests.Ring;

/// <summary>
/// Producers of a blocking ring park on a monitor when the ring is full and are woken by the last
/// stage's batch end (<see cref="ProducerClaim.SignalCapacity(Sequence)"/>); blocking stages are woken
/// once per sleep, not per publish. With the producers' backstop timeout switched off, a lost
/// wake-up in either protocol leaves a thread asleep for good, and the test fails on its join.
/// </summary>
[Trait("Category", "Slow")]
[Collection(RingTestCollection.Name)]
public class CapacityParkingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(ProducerType.Single, 1)]
    [InlineData(ProducerType.Multi, 3)]
    public void Publish_TinyRingSlowLastStage_ProducersParkAndAllEventsArriveInOrder(ProducerType producerType, int producers)
    {
        // Ring of 8 and a last stage that pauses now and then: the producers find the ring full
        // tens of thousands of times; bursts with pauses also send both stages to sleep.
        const long PerProducer = 60_000;
        using var pipeline = new RingPipeline<TestEvent>(8, producerType, new BlockingWaitStrategy());
        var claim = pipeline.RingBuffer.ProducerClaim;
        claim.CapacityParkTimeoutMs = System.Threading.Timeout.Infinite;
        var first = pipeline.HandleWith(new StampingHandler());
        var last = new PausingOrderHandler(producers);
        pipeline.HandleWith(last, first);
        pipeline.Start();

        var threads = new Thread[producers];
        for (var p = 0; p < producers; p++)
        {
            var id = p;
            threads[p] = new Thread(() => PublishInBursts(pipeline.RingBuffer, id, PerProducer)) { IsBackground = true };
            threads[p].Start();
        }

        foreach (var thread in threads)
        {
            Assert.True(thread.Join(Timeout), "a producer never woke up (lost capacity signal)");
        }

        Assert.True(pipeline.Drain(Timeout), "a stage never woke up (lost publish signal)");
        Assert.Null(last.Order.FirstViolation);
        Assert.Equal(0, last.NotStamped);
        Assert.Equal(producers * PerProducer, last.Order.Count);
        for (var p = 0; p < producers; p++)
        {
            Assert.Equal(PerProducer, last.Order.NextIndexOf(p));
        }

        Assert.True(claim.CapacityParks > 0, "the ring never filled up: the test did not exercise parking");
    }

    [Fact]
    public void RemoveGatingSequence_WhileProducerParked_WakesIt()
    {
        // A gating sequence nobody advances: the producer fills the ring and parks. Removing the
        // sequence must wake it (no stage will ever signal), backstop timeout off.
        var claim = new SingleProducerClaim(4, new BlockingWaitStrategy()) { CapacityParkTimeoutMs = System.Threading.Timeout.Infinite };
        var stuck = new Sequence();
        claim.AddGatingSequences(stuck);
        for (var i = 0; i < 4; i++)
        {
            claim.Publish(claim.Next());
        }

        var producer = new Thread(() => claim.Publish(claim.Next())) { IsBackground = true };
        producer.Start();
        Assert.True(SpinWait.SpinUntil(() => claim.CapacityParks > 0, Timeout), "the producer did not park on the full ring");
        Assert.False(producer.Join(TimeSpan.FromMilliseconds(100)), "the producer claimed a slot the gating sequence still holds");

        Assert.True(claim.RemoveGatingSequence(stuck));
        Assert.True(producer.Join(Timeout), "the parked producer was not woken");
        Assert.Equal(4, claim.Cursor);
    }

    private static void PublishInBursts(RingBuffer<TestEvent> ring, int producerId, long count)
    {
        var random = new Random(producerId + 1);
        long index = 0;
        while (index < count)
        {
            var burst = Math.Min(count - index, random.Next(1, 200));
            for (var i = 0; i < burst; i++)
            {
                var sequence = ring.Next();
                ref var slot = ref ring[sequence];
                slot.ProducerId = producerId;
                slot.Index = index++;
                slot.Stage = 0;
                ring.Publish(sequence);
            }

            if (random.Next(8) == 0)
            {
                Thread.Sleep(0); // now and then let both stages run dry and go to sleep
            }
        }
    }

    private sealed class StampingHandler : IEventHandler<TestEvent>
    {
        public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch) => data.Stage = data.Index + 1;
    }

    private sealed class PausingOrderHandler(int producers) : IEventHandler<TestEvent>
    {
        public PerProducerOrderHandler Order { get; } = new(producers);

        public long NotStamped { get; private set; }

        public void OnEvent(ref TestEvent data, long sequence, bool endOfBatch)
        {
            if (data.Stage != data.Index + 1)
            {
                NotStamped++;
            }

            Order.OnEvent(ref data, sequence, endOfBatch);
            if ((sequence & 63) == 0)
            {
                Thread.SpinWait(500); // slower than the producers: the ring fills and they park
            }
        }
    }
}
