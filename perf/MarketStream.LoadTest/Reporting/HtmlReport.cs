using System.Globalization;
using System.Net;
using System.Text;
using MarketStream.LoadTest.Framework;
using MarketStream.Model;

namespace MarketStream.LoadTest.Reporting;

/// <summary>
/// report.html: self-contained (inline CSS and SVG, nothing fetched): the figures table, a latency
/// distribution plot (percentile on a log scale of 1/(1−p), as HdrHistogram plots do), throughput and
/// p99 over time, server memory over time, and the Markdown report's text below.
/// </summary>
internal static class HtmlReport
{
    private static readonly double[] PercentileTicks = [0, 90, 99, 99.9, 99.99, 99.999];

    public static string Render(ScenarioResult result, string markdown)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(Esc($"Load test: {result.Scenario}"))
            .Append("</title><style>body{font-family:sans-serif;max-width:1000px;margin:20px auto;padding:0 10px;color:#222}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}.pass{color:#080}.fail{color:#b00}pre{background:#f6f6f6;padding:8px;overflow:auto;font-size:12px}</style></head><body>");
        sb.Append("<h1>Load test: ").Append(Esc(result.Scenario)).Append("</h1><p>").Append(Esc(result.Description)).Append("</p>");
        sb.Append("<p class=\"").Append(result.Passed ? "pass" : "fail").Append("\"><b>").Append(result.Passed ? "PASSED" : "FAILED").Append("</b></p>");
        sb.Append("<pre>dotnet run -c Release --project perf/MarketStream.LoadTest -- ").Append(Esc(result.Command)).Append("</pre>");

        sb.Append("<h2>Figures</h2><table><tr><th>metric</th>");
        foreach (var run in result.Runs)
        {
            sb.Append("<th>").Append(Esc(run.Label)).Append("</th>");
        }

        sb.Append("</tr>");
        foreach (var name in result.Runs.SelectMany(r => r.Metrics.Select(m => m.Key)).Distinct())
        {
            sb.Append("<tr><td>").Append(Esc(name)).Append("</td>");
            foreach (var run in result.Runs)
            {
                sb.Append("<td>").Append(run.Get(name) is { } v ? Esc(Format.Metric(name, v)) : "").Append("</td>");
            }

            sb.Append("</tr>");
        }

        sb.Append("</table>");

        var distribution = result.Runs.Where(r => r.LatencyDistribution.Count > 0)
            .Select(r => new SvgChart.Series(r.Label, r.LatencyDistribution.Select(p => (PercentileX(p[0]), p[1])).ToList())).ToList();
        if (distribution.Count > 0)
        {
            sb.Append("<h2>Latency distribution</h2>");
            sb.Append(SvgChart.Render("Tick-to-client latency by percentile", "percentile", "ms", distribution,
                x => PercentileTicks.FirstOrDefault(p => Math.Abs(PercentileX(p) - x) < 1e-9).ToString("0.###", CultureInfo.InvariantCulture) + "%",
                PercentileTicks.Select(PercentileX).ToList()));
        }

        var withRows = result.Runs.Where(r => r.Intervals.Count > 0).ToList();
        if (withRows.Count > 0)
        {
            sb.Append("<h2>Over time</h2>");
            sb.Append(SvgChart.Render("Delivered updates/s", "seconds", "updates/s", withRows.Select(r => new SvgChart.Series(r.Label, r.Intervals.Select(i => (i.T, i.UpdatesPerSec)).ToList())).ToList()));
            sb.Append(SvgChart.Render("Latency p99 per interval", "seconds", "ms", withRows.Select(r => new SvgChart.Series(r.Label, r.Intervals.Select(i => (i.T, i.P99Ms)).ToList())).ToList()));
            sb.Append(SvgChart.Render("Server resident memory", "seconds", "MiB", withRows.Select(r => new SvgChart.Series(r.Label, r.Intervals.Select(i => (i.T, i.ServerRssMb)).ToList())).ToList()));
        }

        sb.Append("<h2>Full report</h2><pre>").Append(Esc(markdown)).Append("</pre></body></html>");
        return sb.ToString();
    }

    /// <summary>log10(1/(1−p)): 90 % → 1, 99 % → 2, 99.9 % → 3 (100 % is capped at 6).</summary>
    private static double PercentileX(double percentile) => percentile >= 100 ? 6 : Math.Min(6, Math.Log10(1 / (1 - (percentile / 100))));

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
