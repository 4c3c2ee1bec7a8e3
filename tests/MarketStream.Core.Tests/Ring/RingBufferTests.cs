using System.Runtime.CompilerServices;
using MarketStream.Core.Ring;
using MarketStream.Model;
using MarketStream.Testing;

namespace MarketStream.Core.Tests.Ring;

[Collection(RingTestCollection.Name)]
public class RingBufferTests
{
    [Fact]
    public void Indexer_SameSlotOneLapApart_ReturnsSameStorage()
    {
        var ring = new RingBuffer<Tick>(ProducerType.Single, 8, new BusySpinWaitStrategy());

        ref var slot = ref ring[3];
        slot.Price = 12345;

        Assert.True(Unsafe.AreSame(ref ring[3], ref ring[3 + 8]));
        Assert.False(Unsafe.AreSame(ref ring[3], ref ring[4]));
        Assert.Equal(12345, ring[11].Price);
        Assert.Equal(8, ring.BufferSize);
    }

    [Fact]
    public void NextAndPublish_SteadyState_AllocateNothing()
    {
        var ring = new RingBuffer<Tick>(ProducerType.Multi, 64, new BlockingWaitStrategy());
        var consumer = new Sequence();
        ring.AddGatingSequences(consumer);
        Cycle(ring, consumer, 1000); // warm up (tiering, statics)

        var rounds = 0;
        var allocated = Allocations.BestOf(3, () =>
        {
            Cycle(ring, consumer, 100_000);
            rounds++;
        });

        Assert.Equal(0, allocated);
        Assert.Equal(1000 + (rounds * 100_000) - 1, consumer.Value);
    }

    [Fact]
    public void Constructor_MultiProducer_UsesMultiProducerClaim()
    {
        Assert.IsType<MultiProducerClaim>(new RingBuffer<Tick>(ProducerType.Multi, 8).ProducerClaim);
        Assert.IsType<SingleProducerClaim>(new RingBuffer<Tick>(ProducerType.Single, 8).ProducerClaim);
    }

    private static void Cycle(RingBuffer<Tick> ring, Sequence consumer, int events)
    {
        for (var i = 0; i < events; i++)
        {
            var sequence = ring.Next();
            ref var tick = ref ring[sequence];
            tick.Seq = sequence;
            ring.Publish(sequence);
            consumer.SetValue(sequence); // stands in for a consumer that keeps up
        }
    }
}
