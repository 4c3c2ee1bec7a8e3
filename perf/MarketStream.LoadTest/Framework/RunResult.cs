using MarketStream.LoadTest.Measurement;

namespace MarketStream.LoadTest.Framework;

/// <summary>One target's run within a scenario (e.g. MarketStream, or the SignalR baseline).</summary>
internal sealed class RunResult
{
    public required string Label { get; init; }

    public required string Target { get; init; }

    /// <summary>Figures by name (the names thresholds use), in report order.</summary>
    public List<KeyValuePair<string, double>> Metrics { get; } = [];

    /// <summary>Latency percentile curve: (percentile, ms), for the plot and the JSON.</summary>
    public List<double[]> LatencyDistribution { get; } = [];

    public List<IntervalRow> Intervals { get; } = [];

    public List<CheckResult> Checks { get; } = [];

    public List<string> Notes { get; } = [];

    public void Add(string metric, double value) => Metrics.Add(new(metric, value));

    public double? Get(string metric)
    {
        foreach (var m in Metrics)
        {
            if (m.Key == metric)
            {
                return m.Value;
            }
        }

        return null;
    }
}
