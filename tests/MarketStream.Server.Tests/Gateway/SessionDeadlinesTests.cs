using MarketStream.Server.Gateway;
using Microsoft.Extensions.Time.Testing;

namespace MarketStream.Server.Tests.Gateway;

public class SessionDeadlinesTests
{
    private static readonly TimeSpan CloseLag = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _time = new();

    private SessionDeadlines Deadlines() => new(_time, CloseLag, IdleLimit, Period);

    [Fact]
    public void Check_SendBlockedJustUnderCloseLag_NothingDue_ThenAtCloseLag_SendBlocked()
    {
        var deadlines = Deadlines();
        var started = _time.GetTimestamp();
        var received = _time.GetTimestamp();

        _time.Advance(CloseLag - TimeSpan.FromMilliseconds(1));
        Assert.Equal(BlockedVerdict.None, deadlines.Check(_time.GetTimestamp(), started, TimeSpan.Zero, received));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(BlockedVerdict.SendBlocked, deadlines.Check(_time.GetTimestamp(), started, TimeSpan.Zero, received));
    }

    [Fact]
    public void Check_OutboxLagAtCloseLag_WhileSendBlockedOnlyBriefly_LagPastClose()
    {
        var deadlines = Deadlines();
        var received = _time.GetTimestamp();
        var started = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(BlockedVerdict.None, deadlines.Check(_time.GetTimestamp(), started, CloseLag - TimeSpan.FromMilliseconds(1), received));
        Assert.Equal(BlockedVerdict.LagPastClose, deadlines.Check(_time.GetTimestamp(), started, CloseLag, received));
    }

    [Fact]
    public void Check_NothingReceivedForIdleLimit_Silent_UnlessReceivesAreNotTracked()
    {
        var deadlines = new SessionDeadlines(_time, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(3), Period);
        var received = _time.GetTimestamp();
        var started = _time.GetTimestamp();

        _time.Advance(TimeSpan.FromMilliseconds(2999));
        Assert.Equal(BlockedVerdict.None, deadlines.Check(_time.GetTimestamp(), started, TimeSpan.Zero, received));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(BlockedVerdict.Silent, deadlines.Check(_time.GetTimestamp(), started, TimeSpan.Zero, received));
        Assert.Equal(BlockedVerdict.None, deadlines.Check(_time.GetTimestamp(), started, TimeSpan.Zero, lastReceived: 0));
    }

    [Fact]
    public void Check_PastBothSlowConsumerAndKeepAlive_SlowConsumerWins()
    {
        var deadlines = new SessionDeadlines(_time, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), Period);
        var received = _time.GetTimestamp();
        var started = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(BlockedVerdict.SendBlocked, deadlines.Check(_time.GetTimestamp(), started, TimeSpan.Zero, received));
    }

    [Fact]
    public void NextCheck_AtMostOnePeriod_AndLandsJustAfterTheNearestDeadline()
    {
        var deadlines = Deadlines();
        var received = _time.GetTimestamp();
        _time.Advance(IdleLimit - TimeSpan.FromMilliseconds(300));
        var started = _time.GetTimestamp();
        var now = _time.GetTimestamp();

        // Keep-alive deadline 300 ms away, blocked-send deadline 10 s away: wake just after the keep-alive one.
        Assert.Equal(TimeSpan.FromMilliseconds(301), deadlines.NextCheck(now, started, received));
        // Nothing near: one period, so a lag passing the close lag is seen within a second.
        Assert.Equal(Period + TimeSpan.FromMilliseconds(1), deadlines.NextCheck(now, started, lastReceived: 0));
    }

    [Fact]
    public void NextCheck_DeadlinePassed_Zero()
    {
        var deadlines = Deadlines();
        var started = _time.GetTimestamp();
        _time.Advance(CloseLag + TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.Zero, deadlines.NextCheck(_time.GetTimestamp(), started, lastReceived: 0));
    }

    [Fact]
    public void Timer_RearmedByNextCheck_FiresUntilTheBlockedSendPassesTheCloseLag()
    {
        // The session's use: every timer tick checks, and re-arms for NextCheck while nothing is due. On a
        // fake clock the verdict must come at the close lag (within the 1 ms rounding), not one tick and then never.
        var deadlines = Deadlines();
        var started = _time.GetTimestamp();
        var received = _time.GetTimestamp();
        var verdict = BlockedVerdict.None;
        var ticks = 0;
        ITimer? timer = null;
        timer = _time.CreateTimer(_ =>
        {
            ticks++;
            var now = _time.GetTimestamp();
            verdict = deadlines.Check(now, started, TimeSpan.Zero, received);
            if (verdict == BlockedVerdict.None)
            {
                timer!.Change(deadlines.NextCheck(now, started, received), Timeout.InfiniteTimeSpan);
            }
        }, null, deadlines.NextCheck(started, started, received), Timeout.InfiniteTimeSpan);

        for (var i = 0; i < 200 && verdict == BlockedVerdict.None; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(BlockedVerdict.SendBlocked, verdict);
        Assert.InRange(_time.GetElapsedTime(started), CloseLag, CloseLag + TimeSpan.FromMilliseconds(100));
        Assert.InRange(ticks, 10, 11);
        timer.Dispose();
    }

    [Fact]
    public void LagCheckPeriod_HalfTheWarnLag_CappedByHeartbeatAndOneSecond()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), SessionDeadlines.LagCheckPeriod(new GatewayOptions()));
        Assert.Equal(TimeSpan.FromMilliseconds(150), SessionDeadlines.LagCheckPeriod(new GatewayOptions { SlowConsumerWarnLag = TimeSpan.FromMilliseconds(300) }));
        Assert.Equal(TimeSpan.FromMilliseconds(200), SessionDeadlines.LagCheckPeriod(new GatewayOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(200) }));
    }
}
