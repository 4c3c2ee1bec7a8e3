using MarketStream.Core.Ring;

namespace MarketStream.Core.Tests.Ring;

[Collection(RingTestCollection.Name)]
public class MultiProducerClaimTests
{
    [Fact]
    public void GetHighestPublishedSequence_PublishedOutOfOrder_StopsAtFirstGap()
    {
        var claim = new MultiProducerClaim(16, new BusySpinWaitStrategy());
        var first = claim.Next();
        var second = claim.Next();
        var third = claim.Next();

        claim.Publish(third);
        claim.Publish(first);

        Assert.Equal(2, claim.Cursor); // claimed
        Assert.Equal(0, claim.GetHighestPublishedSequence(0, 2));
        Assert.Equal(-1, claim.GetHighestPublishedSequence(0, -1));

        claim.Publish(second);

        Assert.Equal(2, claim.GetHighestPublishedSequence(0, 2));
    }

    [Fact]
    public void IsAvailable_SlotFromPreviousLap_IsNotAvailable()
    {
        var claim = new MultiProducerClaim(4, new BusySpinWaitStrategy());
        claim.Publish(0, claim.Next(4));
        Assert.True(claim.IsAvailable(1));

        // Same slot one lap later: claimed but not yet published.
        Assert.False(claim.IsAvailable(5));
        var consumer = new Sequence();
        claim.AddGatingSequences(consumer); // starts at the cursor: everything processed
        var high = claim.Next(2);
        Assert.Equal(5, high);
        Assert.False(claim.IsAvailable(5));

        claim.Publish(4, 5);

        Assert.True(claim.IsAvailable(5));
        Assert.False(claim.IsAvailable(1));
    }

    [Fact]
    public void TryNext_RingFull_FailsWithoutMovingCursor()
    {
        var claim = new MultiProducerClaim(8, new BusySpinWaitStrategy());
        var consumer = new Sequence();
        claim.AddGatingSequences(consumer);
        claim.Publish(0, claim.Next(8));

        Assert.False(claim.TryNext(out _));
        Assert.False(claim.TryNext(4, out _));
        Assert.Equal(7, claim.Cursor);

        consumer.SetValue(3);

        Assert.True(claim.TryNext(4, out var high));
        Assert.Equal(11, high);
    }

    [Fact]
    public void Next_ManyThreadsClaiming_EverySequenceClaimedExactlyOnce()
    {
        const int Threads = 4;
        const int ClaimsPerThread = 50_000;
        var claim = new MultiProducerClaim(1 << 20, new BusySpinWaitStrategy());
        var claimedBy = new int[Threads * ClaimsPerThread];
        var threads = new Thread[Threads];
        for (var t = 0; t < Threads; t++)
        {
            var id = t + 1;
            threads[t] = new Thread(() =>
            {
                for (var i = 0; i < ClaimsPerThread; i++)
                {
                    var sequence = i % 3 == 0 ? claim.Next(1) : claim.Next();
                    Interlocked.Increment(ref claimedBy[sequence]);
                    claim.Publish(sequence);
                }
            });
            threads[t].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.All(claimedBy, count => Assert.Equal(1, count));
        Assert.Equal(claimedBy.Length - 1, claim.GetHighestPublishedSequence(0, claim.Cursor));
    }
}
