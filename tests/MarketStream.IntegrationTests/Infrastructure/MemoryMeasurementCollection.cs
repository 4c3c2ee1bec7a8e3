namespace MarketStream.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that read the process's GC heap run alone: the test process hosts the server, and servers and
/// clients of tests running in parallel would be counted too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "memory measurement";
}
