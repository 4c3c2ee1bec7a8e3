namespace MarketStream.Client.Internal;

/// <summary>
/// Exponential backoff with jitter: attempt n waits a random time in [d/2, d] where d = min·2ⁿ capped at
/// max. The random half spreads the reconnects of many clients dropped at once (a gateway restart) so they
/// do not arrive together.
/// </summary>
internal static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan min, TimeSpan max)
    {
        var exponent = Math.Min(attempt, 30);
        var ceiling = Math.Min(min.TotalMilliseconds * Math.Pow(2, exponent), max.TotalMilliseconds);
        var ms = (ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2);
        return TimeSpan.FromMilliseconds(Math.Max(ms, min.TotalMilliseconds / 2));
    }
}
