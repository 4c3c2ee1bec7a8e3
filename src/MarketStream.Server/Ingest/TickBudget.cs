namespace MarketStream.Server.Ingest;

/// <summary>
/// A token bucket of ticks for one publisher connection (<c>Ingest:MaxTicksPerSecond</c>): refills
/// continuously at the rate, holds at most one second's worth. Used by the connection's read loop
/// only, so no synchronisation.
/// </summary>
internal sealed class TickBudget
{
    private readonly long _perSecond;
    private readonly TimeProvider _clock;
    private double _tokens;
    private long _last;

    /// <param name="perSecond">Ticks per second; 0 = unlimited.</param>
    /// <param name="clock">Time source (tests may advance it).</param>
    public TickBudget(int perSecond, TimeProvider clock)
    {
        _perSecond = perSecond;
        _clock = clock;
        _tokens = perSecond;
        _last = clock.GetTimestamp();
    }

    /// <summary>Takes up to <paramref name="wanted"/> ticks from the budget; returns how many the connection may publish now.</summary>
    public int Take(int wanted)
    {
        if (_perSecond == 0)
        {
            return wanted;
        }

        var now = _clock.GetTimestamp();
        _tokens = Math.Min(_perSecond, _tokens + (_clock.GetElapsedTime(_last, now).TotalSeconds * _perSecond));
        _last = now;
        var granted = (int)Math.Min(wanted, Math.Floor(_tokens));
        _tokens -= granted;
        return granted;
    }
}
