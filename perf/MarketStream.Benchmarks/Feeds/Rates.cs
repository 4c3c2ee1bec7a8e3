using System.Globalization;

namespace MarketStream.Benchmarks.Feeds;

/// <summary>Medians and k/M formatting shared by the feed and ingest harnesses.</summary>
internal static class Rates
{
    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static string Format(double rate) => rate >= 1_000_000
        ? (rate / 1_000_000).ToString("F2", CultureInfo.InvariantCulture) + "M"
        : (rate / 1_000).ToString("F0", CultureInfo.InvariantCulture) + "k";
}
