namespace MarketStream.Testing;

/// <summary>
/// Polling in place of sleep-then-assert: a condition that becomes true asynchronously (a session
/// removed, a counter scraped) is checked every few milliseconds until it holds or a deadline passes,
/// so a test waits exactly as long as the server needs and fails with a message, not a flaky guess.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>Waits until <paramref name="condition"/> is true; throws naming <paramref name="what"/> after <paramref name="timeout"/> (10 s).</summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Waits until <paramref name="condition"/> is true; throws naming <paramref name="what"/> after <paramref name="timeout"/> (10 s).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var until = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Not true after {limit.TotalSeconds:0.#} s: {what}");
            }

            await Task.Delay(Interval, TestContext.Current.CancellationToken);
        }
    }
}
