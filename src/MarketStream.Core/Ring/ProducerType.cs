namespace MarketStream.Core.Ring;

/// <summary>How many threads publish to a ring; picks the claim.</summary>
public enum ProducerType
{
    /// <summary>Exactly one publishing thread: <see cref="SingleProducerClaim"/> (fastest).</summary>
    Single,

    /// <summary>Any number of publishing threads: <see cref="MultiProducerClaim"/>.</summary>
    Multi,
}
