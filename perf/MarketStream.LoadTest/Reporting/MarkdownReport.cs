using System.Text;
using MarketStream.LoadTest.Framework;

namespace MarketStream.LoadTest.Reporting;

/// <summary>report.md: what ran, on what, the figures per target, comparisons, checks, thresholds and the time series.</summary>
internal static class MarkdownReport
{
    public static string Render(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        sb.Append("# Load test: ").AppendLine(result.Scenario).AppendLine();
        sb.AppendLine(result.Description).AppendLine();
        sb.Append("**Result: ").Append(result.Passed ? "PASSED" : "FAILED").AppendLine("**").AppendLine();
        sb.AppendLine("```bash").Append("dotnet run -c Release --project perf/MarketStream.LoadTest -- ").AppendLine(result.Command).AppendLine("```").AppendLine();
        sb.Append("- Started ").Append(result.StartedUtc.ToString("u", System.Globalization.CultureInfo.InvariantCulture)).Append(", ended ").AppendLine(result.EndedUtc.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
        sb.Append("- Load simulation: ").AppendLine(result.LoadSimulation);
        foreach (var (k, v) in result.Machine)
        {
            sb.Append("- ").Append(k).Append(": ").AppendLine(v);
        }

        foreach (var (k, v) in result.Settings)
        {
            sb.Append("- ").Append(k).Append(": ").AppendLine(v);
        }

        sb.AppendLine().AppendLine("## Figures").AppendLine();
        sb.Append("| metric |");
        foreach (var run in result.Runs)
        {
            sb.Append(' ').Append(run.Label).Append(" |");
        }

        sb.AppendLine().Append("|---|");
        foreach (var _ in result.Runs)
        {
            sb.Append("---:|");
        }

        sb.AppendLine();
        var names = new List<string>();
        foreach (var run in result.Runs)
        {
            foreach (var m in run.Metrics)
            {
                if (!names.Contains(m.Key))
                {
                    names.Add(m.Key);
                }
            }
        }

        foreach (var name in names)
        {
            sb.Append("| ").Append(name).Append(" |");
            foreach (var run in result.Runs)
            {
                sb.Append(' ').Append(run.Get(name) is { } v ? Format.Metric(name, v) : "").Append(" |");
            }

            sb.AppendLine();
        }

        if (result.Comparisons.Count > 0)
        {
            sb.AppendLine().AppendLine("## Side by side (same invocation)").AppendLine();
            foreach (var (k, v) in result.Comparisons)
            {
                sb.Append("- ").Append(k).Append(": **").Append(Format.Number(v, "0.00")).AppendLine("×**");
            }
        }

        var checks = result.Runs.SelectMany(r => r.Checks.Select(c => (r.Label, c))).ToList();
        if (checks.Count > 0)
        {
            sb.AppendLine().AppendLine("## Checks").AppendLine();
            foreach (var (label, c) in checks)
            {
                sb.Append("- ").Append(c.Passed ? "✔" : "✘").Append(' ').Append(label).Append(": ").Append(c.Name).Append(" — ").AppendLine(c.Detail);
            }
        }

        sb.AppendLine().AppendLine("## Thresholds").AppendLine();
        foreach (var t in result.Thresholds)
        {
            sb.Append("- ").Append(t.Passed ? "✔" : "✘").Append(" `").Append(t.Threshold).Append("`: ").Append(Format.Number(t.Actual, "0.####")).Append(t.Detail.Length > 0 ? " — " + t.Detail : "").AppendLine();
        }

        foreach (var run in result.Runs)
        {
            foreach (var note in run.Notes)
            {
                sb.Append("- note (").Append(run.Label).Append("): ").AppendLine(note);
            }
        }

        foreach (var run in result.Runs)
        {
            sb.AppendLine().Append("## Time series: ").AppendLine(run.Label).AppendLine();
            sb.AppendLine("| t (s) | phase | clients | updates/s | frames/s | MiB/s | merged | p50 ms | p99 ms | max ms | server CPU % | server RSS MiB | load-gen CPU % |");
            sb.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in run.Intervals)
            {
                sb.Append("| ").Append(Format.Number(r.T, "0")).Append(" | ").Append(r.Phase).Append(" | ").Append(r.Clients)
                    .Append(" | ").Append(Format.Rate(r.UpdatesPerSec)).Append(" | ").Append(Format.Rate(r.FramesPerSec))
                    .Append(" | ").Append(Format.Number(r.BytesPerSec / 1048576, "0.0")).Append(" | ").Append(Format.Number(r.MergedRatio * 100, "0.0")).Append(" %")
                    .Append(" | ").Append(Format.Number(r.P50Ms, "0.000")).Append(" | ").Append(Format.Number(r.P99Ms, "0.000")).Append(" | ").Append(Format.Number(r.MaxMs, "0.0"))
                    .Append(" | ").Append(Format.Number(r.ServerCpuPct, "0")).Append(" | ").Append(Format.Number(r.ServerRssMb, "0")).Append(" | ").Append(Format.Number(r.LoadGenCpuPct, "0")).AppendLine(" |");
            }
        }

        return sb.ToString();
    }
}
