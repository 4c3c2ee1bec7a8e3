namespace MarketStream.Core.Ring;

/// <summary>
/// A stage of the tick pipeline, driven by a batch event processor on its own thread
/// (the Disruptor's value-event handler shape). The handler sees slots in sequence order and may
/// write fields of the slot for later stages; <c>endOfBatch</c> is true on the last
/// slot currently available, which is where a stage flushes or signals downstream.
/// </summary>
/// <typeparam name="T">The ring's slot type.</typeparam>
public interface IEventHandler<T>
    where T : struct
{
    /// <summary>Processes one slot in place.</summary>
    void OnEvent(ref T data, long sequence, bool endOfBatch);

    /// <summary>Called on the processor thread before the first event.</summary>
    void OnStart()
    {
    }

    /// <summary>Called on the processor thread after the last event, when the processor halts.</summary>
    void OnShutdown()
    {
    }
}
