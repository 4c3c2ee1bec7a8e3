namespace MarketStream.Model.Tests;

public sealed class UnixNanosTests
{
    [Fact]
    public void From_Epoch_IsZero() => Assert.Equal(0, UnixNanos.From(DateTimeOffset.UnixEpoch));

    [Fact]
    public void From_CountsHundredNanosecondTicks_InUtc()
    {
        var time = new DateTimeOffset(2026, 12, 8, 1, 2, 3, TimeSpan.FromHours(2)).AddTicks(4567);
        var expected = (time.ToUnixTimeMilliseconds() * 1_000_000) + (4567 % 10_000 * 100);
        Assert.Equal(expected, UnixNanos.From(time));
        Assert.Equal(expected, UnixNanos.FromUtcTicks(time.UtcTicks));
    }

    [Fact]
    public void From_BeforeEpoch_IsNegative() =>
        Assert.Equal(-1_000_000_000, UnixNanos.From(DateTimeOffset.UnixEpoch.AddSeconds(-1)));

    [Fact]
    public void Now_ReadsTheGivenClock()
    {
        var at = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(UnixNanos.From(at), UnixNanos.Now(new FixedClock(at)));
    }

    [Fact]
    public void Now_WithoutClock_IsTheWallClock()
    {
        var before = UnixNanos.From(DateTimeOffset.UtcNow);
        var now = UnixNanos.Now();
        var after = UnixNanos.From(DateTimeOffset.UtcNow);
        Assert.InRange(now, before, after);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
