namespace MarketStream.Core.Tests.Ring;

/// <summary>
/// Ring tests run one at a time: they start spinning threads and the machines have 2 cores, so
/// running them side by side would measure the scheduler, not the ring.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RingTestCollection
{
    public const string Name = "Ring (one at a time)";
}
