using MarketStream.Core.Ring;

namespace MarketStream.Core.Tests.Ring;

[Collection(RingTestCollection.Name)]
public class SingleProducerClaimTests
{
    [Fact]
    public void Next_Claims_ReturnConsecutiveSequencesAndBatchHighs()
    {
        var claim = new SingleProducerClaim(16, new BusySpinWaitStrategy());

        Assert.Equal(0, claim.Next());
        Assert.Equal(1, claim.Next());
        Assert.Equal(5, claim.Next(4));
        Assert.True(claim.TryNext(2, out var high));
        Assert.Equal(7, high);
    }

    [Fact]
    public void Publish_MovesCursor_SlotsBecomeAvailable()
    {
        var claim = new SingleProducerClaim(16, new BusySpinWaitStrategy());
        var high = claim.Next(3);
        Assert.False(claim.IsAvailable(0));

        claim.Publish(0, high);

        Assert.Equal(2, claim.Cursor);
        Assert.True(claim.IsAvailable(0));
        Assert.True(claim.IsAvailable(2));
        Assert.False(claim.IsAvailable(3));
    }

    [Fact]
    public void TryNext_RingFullOfUnprocessedSlots_FailsUntilGatingSequenceMoves()
    {
        var claim = new SingleProducerClaim(8, new BusySpinWaitStrategy());
        var consumer = new Sequence();
        claim.AddGatingSequences(consumer);
        claim.Publish(0, claim.Next(8));

        Assert.False(claim.HasAvailableCapacity(1));
        Assert.False(claim.TryNext(out _));
        Assert.Equal(0, claim.RemainingCapacity());

        consumer.SetValue(2); // slots 0..2 processed

        Assert.Equal(3, claim.RemainingCapacity());
        Assert.True(claim.TryNext(3, out var high));
        Assert.Equal(10, high);
        Assert.False(claim.TryNext(out _));
    }

    [Fact]
    public void Next_RingFull_WaitsForTheSlowestGatingSequence()
    {
        var claim = new SingleProducerClaim(4, new YieldingWaitStrategy());
        var fast = new Sequence();
        var slow = new Sequence();
        claim.AddGatingSequences(fast, slow);
        claim.Publish(0, claim.Next(4));
        fast.SetValue(3);

        long claimed = -1;
        var producer = new Thread(() => Volatile.Write(ref claimed, claim.Next())) { IsBackground = true };
        producer.Start();

        Assert.False(producer.Join(200), "claimed slot 4 while the slow consumer still needs slot 0");
        slow.SetValue(0);
        Assert.True(producer.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(4, Volatile.Read(ref claimed));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(100)]
    public void Constructor_SizeNotPowerOfTwo_Throws(int size)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new SingleProducerClaim(size, new BusySpinWaitStrategy()));

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void Next_ClaimOutsideOneToRingSize_Throws(int n)
    {
        var claim = new SingleProducerClaim(16, new BusySpinWaitStrategy());
        Assert.Throws<ArgumentOutOfRangeException>(() => claim.Next(n));
    }

    [Fact]
    public void AddGatingSequences_LateConsumer_StartsAtCursor()
    {
        var claim = new SingleProducerClaim(16, new BusySpinWaitStrategy());
        claim.Publish(claim.Next(5));
        var late = new Sequence();

        claim.AddGatingSequences(late);

        Assert.Equal(4, late.Value);
        Assert.Equal(4, claim.GetMinimumSequence());
        Assert.True(claim.RemoveGatingSequence(late));
        Assert.False(claim.RemoveGatingSequence(late));
    }
}
