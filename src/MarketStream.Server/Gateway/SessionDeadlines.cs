namespace MarketStream.Server.Gateway;

/// <summary>
/// The deadlines that hold while a session's writer is stuck inside a send — the client stopped reading
/// and its socket is full, so nothing the writer loop would do (a close frame, a notice) can get through.
/// The session's timer asks <see cref="Check"/> on every tick while a send is blocked and re-arms itself
/// for <see cref="NextCheck"/>; the verdict is enforced by dropping the connection with the end code
/// recorded (docs/operations.md, Tuning for slow consumers). One instance serves every session: it holds
/// settings and the clock only, each session passes its own timestamps.
/// </summary>
internal sealed class SessionDeadlines(TimeProvider time, TimeSpan closeLag, TimeSpan idleLimit, TimeSpan checkPeriod)
{
    public SessionDeadlines(TimeProvider time, GatewayOptions options)
        : this(time, options.SlowConsumerCloseLag, options.KeepAliveInterval + options.KeepAliveTimeout, LagCheckPeriod(options))
    {
    }

    /// <summary>Lag (and longest blocked send) at which the session ends with 4000.</summary>
    public TimeSpan CloseLag { get; } = closeLag;

    /// <summary>Silence (no byte received, not even a pong) after which the session ends with 4006.</summary>
    public TimeSpan IdleLimit { get; } = idleLimit;

    /// <summary>How often the lag is looked at: it can pass the close lag at any moment, so no wake-up is further apart.</summary>
    public TimeSpan CheckPeriod { get; } = checkPeriod;

    /// <summary>Half the warn lag, at most the heartbeat interval and at most a second.</summary>
    public static TimeSpan LagCheckPeriod(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var period = options.SlowConsumerWarnLag / 2;
        if (period > options.HeartbeatInterval)
        {
            period = options.HeartbeatInterval;
        }

        return period > TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : period;
    }

    /// <summary>
    /// What is due at <paramref name="now"/> for a session whose send started at <paramref name="sendStarted"/>
    /// (a <see cref="TimeProvider"/> timestamp, 0 when no send is blocked), whose oldest unsent update is
    /// <paramref name="lag"/> old, and which last received a byte at <paramref name="lastReceived"/> (0 when
    /// receives are not tracked). The slow-consumer rules come first: a session past both is a slow consumer.
    /// </summary>
    public BlockedVerdict Check(long now, long sendStarted, TimeSpan lag, long lastReceived)
    {
        if (sendStarted != 0 && time.GetElapsedTime(sendStarted, now) >= CloseLag)
        {
            return BlockedVerdict.SendBlocked;
        }

        if (lag >= CloseLag)
        {
            return BlockedVerdict.LagPastClose;
        }

        if (lastReceived != 0 && time.GetElapsedTime(lastReceived, now) >= IdleLimit)
        {
            return BlockedVerdict.Silent;
        }

        return BlockedVerdict.None;
    }

    /// <summary>
    /// How long until the next <see cref="Check"/> while the send stays blocked: the first of the blocked-send
    /// deadline, the keep-alive deadline and one <see cref="CheckPeriod"/>, rounded up by a millisecond so the
    /// wake-up lands after the deadline rather than just before it.
    /// </summary>
    public TimeSpan NextCheck(long now, long sendStarted, long lastReceived)
    {
        var next = CheckPeriod;
        if (sendStarted != 0)
        {
            next = Min(next, CloseLag - time.GetElapsedTime(sendStarted, now));
        }

        if (lastReceived != 0)
        {
            next = Min(next, IdleLimit - time.GetElapsedTime(lastReceived, now));
        }

        return next <= TimeSpan.Zero ? TimeSpan.Zero : next + TimeSpan.FromMilliseconds(1);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
