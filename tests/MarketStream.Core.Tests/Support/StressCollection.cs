namespace MarketStream.Core.Tests.Support;

/// <summary>Threaded and throughput-sensitive tests run alone, not beside other test classes on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StressCollection
{
    public const string Name = "Stress";
}
