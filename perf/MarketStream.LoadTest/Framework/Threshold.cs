using System.Globalization;

namespace MarketStream.LoadTest.Framework;

/// <summary>
/// A pass/fail bound on one reported metric, e.g. <c>p99_ms&lt;1</c> or <c>updates_per_sec&gt;=2e6</c>
/// (NBomber's thresholds). A metric the run did not produce fails the threshold. Any breached
/// threshold makes the exit code 1.
/// </summary>
internal sealed record Threshold(string Metric, string Operator, double Limit)
{
    private static readonly string[] Operators = ["<=", ">=", "==", "<", ">"];

    public static Threshold Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var op in Operators)
        {
            var i = text.IndexOf(op, StringComparison.Ordinal);
            if (i > 0)
            {
                var metric = text[..i].Trim();
                var value = text[(i + op.Length)..].Trim();
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var limit))
                {
                    return new Threshold(metric, op, limit);
                }
            }
        }

        throw new FormatException($"'{text}' is not a threshold: use metric<value, <=, >, >= or == (e.g. p99_ms<1, updates_per_sec>=2e6).");
    }

    public ThresholdResult Evaluate(IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (!metrics.TryGetValue(Metric, out var actual))
        {
            return new ThresholdResult(ToString(), double.NaN, false, "metric not produced by this run");
        }

        var passed = Operator switch
        {
            "<" => actual < Limit,
            "<=" => actual <= Limit,
            ">" => actual > Limit,
            ">=" => actual >= Limit,
            _ => actual == Limit,
        };
        return new ThresholdResult(ToString(), actual, passed, passed ? "" : "breached");
    }

    public override string ToString() => $"{Metric}{Operator}{Limit.ToString("G", CultureInfo.InvariantCulture)}";
}
