namespace MarketStream.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that read <c>/metrics</c> run alone. OpenTelemetry listens to every meter named
/// "MarketStream" in the process, so while other tests' servers run in parallel a scrape can
/// include their series too (one host per process in production makes this a test-only concern).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsScrapeCollection
{
    public const string Name = "metrics scrape";
}
