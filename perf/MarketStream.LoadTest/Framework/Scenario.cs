namespace MarketStream.LoadTest.Framework;

/// <summary>
/// A named load scenario (NBomber's shape): it reads its options, declares its load simulation, runs
/// its per-client step against each target, and returns figures that thresholds check.
/// </summary>
internal abstract class Scenario
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    /// <summary>Option lines for <c>--help</c>.</summary>
    public abstract string Usage { get; }

    /// <summary>Reads the scenario's options (all of them, before anything runs, so a typo fails fast).</summary>
    public abstract void Configure(RunContext ctx);

    public abstract LoadSimulation Simulation { get; }

    /// <summary>Settings the report lists (rate, symbols, stall length, …).</summary>
    public abstract IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>Thresholds every run of this scenario must meet (sanity, not targets); <c>--threshold</c> adds more.</summary>
    public virtual IReadOnlyList<Threshold> DefaultThresholds => [];

    public abstract Task RunAsync(RunContext ctx, ScenarioResult result, CancellationToken ct);

    /// <summary>Adds <c>marketstream_vs_signalr_&lt;metric&gt;</c> = MarketStream ÷ SignalR when both ran.</summary>
    protected static void Compare(ScenarioResult result, params string[] metrics)
    {
        ArgumentNullException.ThrowIfNull(result);
        var ms = result.Runs.Find(r => r.Label == "marketstream");
        var sr = result.Runs.Find(r => r.Label == "signalr");
        if (ms is null || sr is null)
        {
            return;
        }

        foreach (var m in metrics)
        {
            if (ms.Get(m) is { } a && sr.Get(m) is { } b && b != 0)
            {
                result.Comparisons.Add(new($"marketstream_vs_signalr_{m}", a / b));
            }
        }
    }
}
