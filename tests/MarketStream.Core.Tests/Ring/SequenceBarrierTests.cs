using MarketStream.Core.Ring;

namespace MarketStream.Core.Tests.Ring;

[Collection(RingTestCollection.Name)]
public class SequenceBarrierTests
{
    [Fact]
    public void TryWaitFor_DependsOnUpstreamStages_ReturnsSlowestOfThem()
    {
        var ring = new RingBuffer<TestEvent>(ProducerType.Single, 16, new BusySpinWaitStrategy());
        ring.Publish(ring.Next(10));
        var stageA = new Sequence(7);
        var stageB = new Sequence(4);
        var barrier = ring.NewBarrier(stageA, stageB);

        Assert.True(barrier.TryWaitFor(2, out var available));
        Assert.Equal(4, available);
        Assert.Equal(9, barrier.Cursor);
    }

    [Fact]
    public void TryWaitFor_MultiProducerWithUnpublishedClaim_ReturnsLastContiguousPublished()
    {
        var ring = new RingBuffer<TestEvent>(ProducerType.Multi, 16, new BusySpinWaitStrategy());
        var first = ring.Next();
        var second = ring.Next();
        ring.Publish(second); // first is still being written
        var barrier = ring.NewBarrier();

        Assert.True(barrier.TryWaitFor(0, out var available));
        Assert.Equal(-1, available);

        ring.Publish(first);

        Assert.True(barrier.TryWaitFor(0, out available));
        Assert.Equal(1, available);
    }

    [Theory]
    [InlineData("busy-spin")]
    [InlineData("yielding")]
    [InlineData("blocking")]
    [InlineData("sleeping")]
    public void Alert_WhileWaiting_ReleasesTheWaiter(string strategy)
    {
        IWaitStrategy waitStrategy = strategy switch
        {
            "busy-spin" => new BusySpinWaitStrategy(),
            "yielding" => new YieldingWaitStrategy(),
            "blocking" => new BlockingWaitStrategy(),
            _ => new SleepingWaitStrategy(),
        };
        var ring = new RingBuffer<TestEvent>(ProducerType.Single, 16, waitStrategy);
        var barrier = ring.NewBarrier();
        var result = true;
        var waiter = new Thread(() => result = barrier.TryWaitFor(0, out _)) { IsBackground = true };
        waiter.Start();

        Assert.False(waiter.Join(100), "nothing is published: the waiter must still wait");
        barrier.Alert();

        Assert.True(waiter.Join(TimeSpan.FromSeconds(5)), "the alert did not release the waiter");
        Assert.False(result);
        Assert.True(barrier.IsAlerted);
        barrier.ClearAlert();
        Assert.False(barrier.IsAlerted);
    }

    [Fact]
    public void TryWaitFor_BlockingStrategyWokenByUpstreamStage_ReturnsItsProgress()
    {
        // A downstream stage asleep in the blocking strategy must wake when the upstream stage
        // (not a producer) moves: stages signal the strategy after each batch.
        var ring = new RingBuffer<TestEvent>(ProducerType.Single, 16, new BlockingWaitStrategy());
        ring.Publish(ring.Next(4));
        var upstream = new Sequence();
        var barrier = ring.NewBarrier(upstream);
        long available = -5;
        var waiter = new Thread(() => barrier.TryWaitFor(0, out available)) { IsBackground = true };
        waiter.Start();
        Assert.False(waiter.Join(100));

        upstream.SetValue(3);
        ring.ProducerClaim.WaitStrategy.SignalAllWhenBlocking();

        Assert.True(waiter.Join(TimeSpan.FromSeconds(5)));
        Assert.Equal(3, available);
    }
}
