using MarketStream.Model;

namespace MarketStream.Core.Engine;

/// <summary>
/// Unix-nanosecond time read from a monotonic <see cref="TimeProvider"/> timestamp plus the wall
/// clock captured once: one cheap monotonic read per call, no allocation, never steps backwards,
/// and fully driven by the injected provider in tests.
/// </summary>
internal sealed class EngineClock
{
    private const long NanosPerSecond = 1_000_000_000;

    private readonly TimeProvider _provider;
    private readonly long _baseTimestamp;
    private readonly long _baseUnixNs;
    private readonly long _frequency;

    public EngineClock(TimeProvider provider)
    {
        _provider = provider;
        _frequency = provider.TimestampFrequency;
        _baseTimestamp = provider.GetTimestamp();
        _baseUnixNs = Model.UnixNanos.Now(provider);
    }

    public TimeProvider Provider => _provider;

    /// <summary>Current time, Unix nanoseconds.</summary>
    public long UnixNanos()
    {
        var elapsed = _provider.GetTimestamp() - _baseTimestamp;
        if (_frequency == NanosPerSecond)
        {
            return _baseUnixNs + elapsed;
        }

        // Split to avoid overflowing elapsed × 10^9 for long uptimes.
        var seconds = Math.DivRem(elapsed, _frequency, out var remainder);
        return _baseUnixNs + (seconds * NanosPerSecond) + (remainder * NanosPerSecond / _frequency);
    }
}
