using System.Text.Json;
using System.Text.Json.Serialization;
using MarketStream.LoadTest.Framework;

namespace MarketStream.LoadTest.Reporting;

/// <summary>results.json: every figure, check, threshold and interval row, for scripts and the smoke test.</summary>
internal static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public static string Render(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var doc = new
        {
            result.Scenario,
            result.Description,
            result.Command,
            result.StartedUtc,
            result.EndedUtc,
            result.Passed,
            result.LoadSimulation,
            result.Machine,
            result.Settings,
            Runs = result.Runs.Select(r => new
            {
                r.Label,
                r.Target,
                Metrics = r.Metrics.ToDictionary(m => m.Key, m => m.Value),
                r.Checks,
                r.Notes,
                LatencyDistribution = r.LatencyDistribution.Select(p => new { Percentile = p[0], Ms = p[1] }),
                r.Intervals,
            }),
            Comparisons = result.Comparisons.ToDictionary(c => c.Key, c => c.Value),
            result.Thresholds,
        };
        return JsonSerializer.Serialize(doc, Options);
    }
}
