using MarketStream.LoadTest.Framework;

namespace MarketStream.LoadTest.Tests;

public sealed class ThresholdTests
{
    [Theory]
    [InlineData("p99_ms<1", 0.5, true)]
    [InlineData("p99_ms<1", 1, false)]
    [InlineData("p99_ms<=1", 1, true)]
    [InlineData("updates_per_sec>=2e6", 2_000_000, true)]
    [InlineData("updates_per_sec>2e6", 2_000_000, false)]
    [InlineData("errors==0", 0, true)]
    public void Evaluate_ComparesTheNamedMetric(string text, double actual, bool passes)
    {
        var threshold = Threshold.Parse(text);
        var metric = threshold.Metric;

        var result = threshold.Evaluate(new Dictionary<string, double> { [metric] = actual });

        Assert.Equal(passes, result.Passed);
    }

    [Fact]
    public void Evaluate_MetricTheRunDidNotProduce_Fails()
    {
        var result = Threshold.Parse("p99_ms<1").Evaluate(new Dictionary<string, double>());

        Assert.False(result.Passed);
        Assert.Contains("not produced", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("p99_ms")]
    [InlineData("<1")]
    [InlineData("p99_ms<fast")]
    public void Parse_Malformed_Throws(string text) => Assert.Throws<FormatException>(() => Threshold.Parse(text));
}
