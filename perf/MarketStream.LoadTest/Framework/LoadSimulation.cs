using System.Diagnostics;
using System.Globalization;

namespace MarketStream.LoadTest.Framework;

/// <summary>
/// NBomber's load simulation, for subscribers: inject <see cref="Clients"/> at <see cref="InjectPerSecond"/>
/// (0 = as fast as <see cref="Parallel"/> concurrent connects allow), then keep them constant for
/// <see cref="Warmup"/> (not measured) plus <see cref="Hold"/> (measured).
/// </summary>
internal sealed record LoadSimulation(int Clients, double InjectPerSecond, int Parallel, TimeSpan Warmup, TimeSpan Hold)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"inject {Clients:N0} clients at {(InjectPerSecond > 0 ? $"{InjectPerSecond:N0}/s" : "full speed")} ({Parallel} connects in flight), then keep constant: {Warmup.TotalSeconds:0.#} s warm-up + {Hold.TotalSeconds:0.#} s measured");

    /// <summary>Runs <paramref name="connectOne"/> for clients 0…Clients−1 at the injection rate with at most <see cref="Parallel"/> in flight; returns failures.</summary>
    public async Task<int> InjectAsync(Func<int, CancellationToken, Task> connectOne, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connectOne);
        using var gate = new SemaphoreSlim(Parallel);
        var failures = 0;
        var tasks = new List<Task>(Clients);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < Clients; i++)
        {
            ct.ThrowIfCancellationRequested();
            if (InjectPerSecond > 0)
            {
                var due = TimeSpan.FromSeconds(i / InjectPerSecond) - Stopwatch.GetElapsedTime(start);
                if (due > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(due, ct).ConfigureAwait(false);
                }
            }

            await gate.WaitAsync(ct).ConfigureAwait(false);
            var client = i;
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    await connectOne(client, ct).ConfigureAwait(false);
                }
                catch (Exception) when (!ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failures);
                }
                finally
                {
                    gate.Release();
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        return failures;
    }
}
