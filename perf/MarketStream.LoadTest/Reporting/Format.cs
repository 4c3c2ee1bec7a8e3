using System.Globalization;

namespace MarketStream.LoadTest.Reporting;

/// <summary>Number formatting shared by the reports (invariant culture, units by metric name).</summary>
internal static class Format
{
    public static string Metric(string name, double v)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (double.IsNaN(v))
        {
            return "—";
        }

        var inv = CultureInfo.InvariantCulture;
        if (name.EndsWith("_ms", StringComparison.Ordinal))
        {
            return v.ToString(v < 10 ? "0.000" : "0.0", inv) + " ms";
        }

        if (name.EndsWith("ratio", StringComparison.Ordinal) || name.Contains("_vs_", StringComparison.Ordinal) || name.EndsWith("_last_vs_first", StringComparison.Ordinal))
        {
            return name.StartsWith("merged", StringComparison.Ordinal) ? v.ToString("P1", inv) : v.ToString("0.00", inv) + "×";
        }

        if (name.StartsWith("bytes_per_sec", StringComparison.Ordinal))
        {
            return (v / 1048576).ToString("0.0", inv) + " MiB/s";
        }

        if (name.EndsWith("_pct", StringComparison.Ordinal))
        {
            return v.ToString("0", inv) + " %";
        }

        if (name.EndsWith("_mb", StringComparison.Ordinal) || name.EndsWith("_mb_per_min", StringComparison.Ordinal))
        {
            return v.ToString("0.0", inv) + (name.EndsWith("per_min", StringComparison.Ordinal) ? " MiB/min" : " MiB");
        }

        if (name.EndsWith("_kb", StringComparison.Ordinal) || name.EndsWith("kb_per_connection", StringComparison.Ordinal))
        {
            return v.ToString("0.00", inv) + " KiB";
        }

        if (name.EndsWith("_per_sec", StringComparison.Ordinal))
        {
            return Rate(v) + "/s";
        }

        return Math.Abs(v - Math.Round(v)) < 1e-9 && Math.Abs(v) < 1e15 ? v.ToString("N0", inv) : v.ToString("0.###", inv);
    }

    public static string Rate(double v) => v switch
    {
        >= 1e6 => (v / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + "M",
        >= 1e4 => (v / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + "k",
        _ => v.ToString("N0", CultureInfo.InvariantCulture),
    };

    public static string Number(double v, string format) => double.IsNaN(v) ? "—" : v.ToString(format, CultureInfo.InvariantCulture);
}
