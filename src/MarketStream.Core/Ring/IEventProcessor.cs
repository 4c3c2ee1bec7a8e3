namespace MarketStream.Core.Ring;

/// <summary>A stage's run loop: waits on its barrier and feeds available slots to its handler.</summary>
public interface IEventProcessor
{
    /// <summary>The highest sequence this stage has finished; downstream stages and producers gate on it.</summary>
    Sequence Sequence { get; }

    /// <summary>True while <see cref="Run"/> is processing.</summary>
    bool IsRunning { get; }

    /// <summary>The exception that halted the stage under <see cref="HandlerExceptionPolicy.Halt"/>; null otherwise.</summary>
    Exception? Fault { get; }

    /// <summary>Runs the loop on the calling thread until <see cref="Halt"/> (or a fault). Call it on a dedicated thread.</summary>
    void Run();

    /// <summary>Stops the loop after the event in progress; does not wait for it.</summary>
    void Halt();
}
