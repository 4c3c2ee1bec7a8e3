namespace MarketStream.Server.Gateway;

/// <summary>
/// Token bucket for one connection's inbound messages: <c>ratePerSecond</c> sustained, up to
/// <c>burst</c> at once. Used only by that connection's reader loop, so it needs no locking.
/// Time comes from <see cref="TimeProvider"/> timestamps so tests can drive it.
/// </summary>
internal struct InboundRateLimiter
{
    private readonly double _ratePerTick;
    private readonly double _burst;
    private double _tokens;
    private long _lastTimestamp;

    public InboundRateLimiter(int ratePerSecond, int burst, long nowTimestamp, long timestampFrequency)
    {
        _ratePerTick = (double)ratePerSecond / timestampFrequency;
        _burst = burst;
        _tokens = burst;
        _lastTimestamp = nowTimestamp;
    }

    /// <summary>Takes one token; false when the connection is over its rate.</summary>
    public bool TryTake(long nowTimestamp)
    {
        var elapsed = nowTimestamp - _lastTimestamp;
        if (elapsed > 0)
        {
            _tokens = Math.Min(_burst, _tokens + (elapsed * _ratePerTick));
            _lastTimestamp = nowTimestamp;
        }

        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}
