using MarketStream.Core.Ring;

namespace MarketStream.Core.Tests.Ring;

[Collection(RingTestCollection.Name)]
public class SingleProducerSequencerTests
{
    [Fact]
    public void Next_Claims_ReturnConsecutiveSequencesAndBatchHighs()
    {
        var sequencer = new SingleProducerSequencer(16, new BusySpinWaitStrategy());

        Assert.Equal(0, sequencer.Next());
        Assert.Equal(1, sequencer.Next());
        Assert.Equal(5, sequencer.Next(4));
        Assert.True(sequencer.TryNext(2, out var high));
        Assert.Equal(7, high);
    }

    [Fact]
    public void Publish_MovesCursor_SlotsBecomeAvailable()
    {
        var sequencer = new SingleProducerSequencer(16, new BusySpinWaitStrategy());
        var high = sequencer.Next(3);
        Assert.False(sequencer.IsAvailable(0));

        sequencer.Publish(0, high);

        Assert.Equal(2, sequencer.Cursor);
        Assert.True(sequencer.IsAvailable(0));
        Assert.True(sequencer.IsAvailable(2));
        Assert.False(sequencer.IsAvailable(3));
    }

    [Fact]
    public void TryNext_RingFullOfUnprocessedSlots_FailsUntilGatingSequenceMoves()
    {
        var sequencer = new SingleProducerSequencer(8, new BusySpinWaitStrategy());
        var consumer = new Sequence();
        sequencer.AddGatingSequences(consumer);
        sequencer.Publish(0, sequencer.Next(8));

        Assert.False(sequencer.HasAvailableCapacity(1));
        Assert.False(sequencer.TryNext(out _));
        Assert.Equal(0, sequencer.RemainingCapacity());

        consumer.SetValue(2); // slots 0..2 processed

        Assert.Equal(3, sequencer.RemainingCapacity());
        Assert.True(sequencer.TryNext(3, out var high));
        Assert.Equal(10, high);
        Assert.False(sequencer.TryNext(out _));
    }

    [Fact]
    public void Next_RingFull_WaitsForTheSlowestGatingSequence()
    {
        var sequencer = new SingleProducerSequencer(4, new YieldingWaitStrategy());
        var fast = new Sequence();
        var slow = new Sequence();
        sequencer.AddGatingSequences(fast, slow);
        sequencer.Publish(0, sequencer.Next(4));
        fast.SetValue(3);

        long claimed = -1;
        var producer = new Thread(() => Volatile.Write(ref claimed, sequencer.Next())) { IsBackground = true };
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
        => Assert.Throws<ArgumentOutOfRangeException>(() => new SingleProducerSequencer(size, new BusySpinWaitStrategy()));

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void Next_ClaimOutsideOneToRingSize_Throws(int n)
    {
        var sequencer = new SingleProducerSequencer(16, new BusySpinWaitStrategy());
        Assert.Throws<ArgumentOutOfRangeException>(() => sequencer.Next(n));
    }

    [Fact]
    public void AddGatingSequences_LateConsumer_StartsAtCursor()
    {
        var sequencer = new SingleProducerSequencer(16, new BusySpinWaitStrategy());
        sequencer.Publish(sequencer.Next(5));
        var late = new Sequence();

        sequencer.AddGatingSequences(late);

        Assert.Equal(4, late.Value);
        Assert.Equal(4, sequencer.GetMinimumSequence());
        Assert.True(sequencer.RemoveGatingSequence(late));
        Assert.False(sequencer.RemoveGatingSequence(late));
    }
}
