using MarketStream.Core.Ring;

namespace MarketStream.Core.Tests.Ring;

[Collection(RingTestCollection.Name)]
public class MultiProducerSequencerTests
{
    [Fact]
    public void GetHighestPublishedSequence_PublishedOutOfOrder_StopsAtFirstGap()
    {
        var sequencer = new MultiProducerSequencer(16, new BusySpinWaitStrategy());
        var first = sequencer.Next();
        var second = sequencer.Next();
        var third = sequencer.Next();

        sequencer.Publish(third);
        sequencer.Publish(first);

        Assert.Equal(2, sequencer.Cursor); // claimed
        Assert.Equal(0, sequencer.GetHighestPublishedSequence(0, 2));
        Assert.Equal(-1, sequencer.GetHighestPublishedSequence(0, -1));

        sequencer.Publish(second);

        Assert.Equal(2, sequencer.GetHighestPublishedSequence(0, 2));
    }

    [Fact]
    public void IsAvailable_SlotFromPreviousLap_IsNotAvailable()
    {
        var sequencer = new MultiProducerSequencer(4, new BusySpinWaitStrategy());
        sequencer.Publish(0, sequencer.Next(4));
        Assert.True(sequencer.IsAvailable(1));

        // Same slot one lap later: claimed but not yet published.
        Assert.False(sequencer.IsAvailable(5));
        var consumer = new Sequence();
        sequencer.AddGatingSequences(consumer); // starts at the cursor: everything processed
        var high = sequencer.Next(2);
        Assert.Equal(5, high);
        Assert.False(sequencer.IsAvailable(5));

        sequencer.Publish(4, 5);

        Assert.True(sequencer.IsAvailable(5));
        Assert.False(sequencer.IsAvailable(1));
    }

    [Fact]
    public void TryNext_RingFull_FailsWithoutMovingCursor()
    {
        var sequencer = new MultiProducerSequencer(8, new BusySpinWaitStrategy());
        var consumer = new Sequence();
        sequencer.AddGatingSequences(consumer);
        sequencer.Publish(0, sequencer.Next(8));

        Assert.False(sequencer.TryNext(out _));
        Assert.False(sequencer.TryNext(4, out _));
        Assert.Equal(7, sequencer.Cursor);

        consumer.SetValue(3);

        Assert.True(sequencer.TryNext(4, out var high));
        Assert.Equal(11, high);
    }

    [Fact]
    public void Next_ManyThreadsClaiming_EverySequenceClaimedExactlyOnce()
    {
        const int Threads = 4;
        const int ClaimsPerThread = 50_000;
        var sequencer = new MultiProducerSequencer(1 << 20, new BusySpinWaitStrategy());
        var claimedBy = new int[Threads * ClaimsPerThread];
        var threads = new Thread[Threads];
        for (var t = 0; t < Threads; t++)
        {
            var id = t + 1;
            threads[t] = new Thread(() =>
            {
                for (var i = 0; i < ClaimsPerThread; i++)
                {
                    var sequence = i % 3 == 0 ? sequencer.Next(1) : sequencer.Next();
                    Interlocked.Increment(ref claimedBy[sequence]);
                    sequencer.Publish(sequence);
                }
            });
            threads[t].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.All(claimedBy, count => Assert.Equal(1, count));
        Assert.Equal(claimedBy.Length - 1, sequencer.GetHighestPublishedSequence(0, sequencer.Cursor));
    }
}
