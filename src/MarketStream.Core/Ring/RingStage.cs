namespace MarketStream.Core.Ring;

/// <summary>
/// A handler stage added to a <see cref="RingPipeline{T}"/>: pass it as a dependency to a later
/// stage so that stage stays behind this one.
/// </summary>
public sealed class RingStage
{
    internal RingStage(string name, IEventProcessor processor)
    {
        Name = name;
        Processor = processor;
    }

    /// <summary>Name of the stage (its handler type); also the name of its thread.</summary>
    public string Name { get; }

    /// <summary>The processor running the stage.</summary>
    public IEventProcessor Processor { get; }

    /// <summary>The highest sequence this stage has finished.</summary>
    public Sequence Sequence => Processor.Sequence;

    /// <summary>The exception that halted the stage, if any.</summary>
    public Exception? Fault => Processor.Fault;

    /// <summary>True when no later stage depends on this one: producers gate on it.</summary>
    internal bool IsTerminal { get; set; } = true;

    internal Thread? Thread { get; set; }
}
