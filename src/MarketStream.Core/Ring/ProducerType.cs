namespace MarketStream.Core.Ring;

/// <summary>How many threads publish to a ring; picks the sequencer.</summary>
public enum ProducerType
{
    /// <summary>Exactly one publishing thread: <see cref="SingleProducerSequencer"/> (fastest).</summary>
    Single,

    /// <summary>Any number of publishing threads: <see cref="MultiProducerSequencer"/>.</summary>
    Multi,
}
