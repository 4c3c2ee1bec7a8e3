namespace MarketStream.Testing;

/// <summary>Allocation counting for the tests that assert 0 B per message in steady state.</summary>
public static class Allocations
{
    /// <summary>
    /// Bytes the current thread allocates running <paramref name="round"/>, taking the best of a few
    /// rounds: the runtime's own one-off work (tiered-compilation call counting, which keeps being
    /// postponed while parallel tests JIT) can land on this thread once; an allocation per tick shows
    /// up in every round.
    /// </summary>
    public static long BestOf(int rounds, Action round)
    {
        var best = long.MaxValue;
        for (var i = 0; i < rounds && best != 0; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            round();
            best = Math.Min(best, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return best;
    }
}
