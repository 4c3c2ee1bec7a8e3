namespace MarketStream.LoadTest.Framework;

/// <summary>Everything one invocation produced: the report's and the JSON file's content.</summary>
internal sealed class ScenarioResult
{
    public required string Scenario { get; init; }

    public required string Description { get; init; }

    public required string Command { get; init; }

    public required DateTimeOffset StartedUtc { get; init; }

    public DateTimeOffset EndedUtc { get; set; }

    public required string LoadSimulation { get; init; }

    public Dictionary<string, string> Machine { get; } = [];

    public Dictionary<string, string> Settings { get; } = [];

    public List<RunResult> Runs { get; } = [];

    /// <summary>Side-by-side figures measured in this invocation (e.g. <c>marketstream_vs_signalr_updates</c>).</summary>
    public List<KeyValuePair<string, double>> Comparisons { get; } = [];

    public List<ThresholdResult> Thresholds { get; } = [];

    public bool Passed { get; set; }

    /// <summary>The names thresholds can use: the first run's metrics bare, every run's as <c>label.metric</c>, comparisons bare.</summary>
    public Dictionary<string, double> FlatMetrics()
    {
        var flat = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = Runs.Count - 1; i >= 0; i--)
        {
            foreach (var m in Runs[i].Metrics)
            {
                flat[$"{Runs[i].Label}.{m.Key}"] = m.Value;
                if (i == 0)
                {
                    flat[m.Key] = m.Value;
                }
            }
        }

        foreach (var c in Comparisons)
        {
            flat[c.Key] = c.Value;
        }

        return flat;
    }
}
