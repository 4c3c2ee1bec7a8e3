using MarketStream.Server.Gateway;

namespace MarketStream.Server.Tests.Gateway;

public sealed class InboundRateLimiterTests
{
    private const long Frequency = 1_000_000; // timestamps in microseconds

    [Fact]
    public void TryTake_BurstThenRefuses()
    {
        var limiter = new InboundRateLimiter(ratePerSecond: 10, burst: 5, nowTimestamp: 0, Frequency);

        for (var i = 0; i < 5; i++)
        {
            Assert.True(limiter.TryTake(0));
        }

        Assert.False(limiter.TryTake(0));
    }

    [Fact]
    public void TryTake_RefillsAtTheSustainedRate()
    {
        var limiter = new InboundRateLimiter(ratePerSecond: 10, burst: 10, nowTimestamp: 0, Frequency);
        for (var i = 0; i < 10; i++)
        {
            limiter.TryTake(0);
        }

        Assert.False(limiter.TryTake(50_000));   // 50 ms: half a token
        Assert.True(limiter.TryTake(100_000));   // 100 ms: one token
        Assert.False(limiter.TryTake(100_000));
    }

    [Fact]
    public void TryTake_OverOneSecond_AllowsRatePlusBurstAndNoMore()
    {
        var limiter = new InboundRateLimiter(ratePerSecond: 50, burst: 100, nowTimestamp: 0, Frequency);
        var allowed = 0;
        for (long t = 0; t < Frequency; t += 1_000)
        {
            for (var k = 0; k < 3; k++)
            {
                allowed += limiter.TryTake(t) ? 1 : 0;
            }
        }

        Assert.InRange(allowed, 148, 150);
    }
}
