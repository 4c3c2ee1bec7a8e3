namespace MarketStream.Model;

/// <summary>
/// Unix nanoseconds, the unit of every timestamp the model and the wire carry (<see cref="Tick.ExchangeTimeNs"/>,
/// <see cref="Tick.ServerTimeNs"/>, token expiries, heartbeats). A .NET tick is 100 ns, so each
/// conversion is exact; a <see cref="long"/> of Unix nanoseconds reaches the year 2262.
/// </summary>
public static class UnixNanos
{
    /// <summary><paramref name="time"/> in Unix nanoseconds.</summary>
    public static long From(DateTimeOffset time) => FromUtcTicks(time.UtcTicks);

    /// <summary>A UTC <see cref="DateTime.Ticks"/> value in Unix nanoseconds.</summary>
    public static long FromUtcTicks(long utcTicks) => (utcTicks - DateTime.UnixEpoch.Ticks) * TimeSpan.NanosecondsPerTick;

    /// <summary>The wall clock now (<see cref="DateTime.UtcNow"/>), in Unix nanoseconds.</summary>
    public static long Now() => FromUtcTicks(DateTime.UtcNow.Ticks);

    /// <summary>The wall clock of <paramref name="clock"/> now, in Unix nanoseconds.</summary>
    public static long Now(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return From(clock.GetUtcNow());
    }
}
