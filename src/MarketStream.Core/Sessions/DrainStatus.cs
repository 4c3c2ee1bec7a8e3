namespace MarketStream.Core.Sessions;

/// <summary>Why <see cref="SessionOutbox.Drain{TSink}"/> returned.</summary>
public enum DrainStatus : byte
{
    /// <summary>Nothing is left to send right now; send the frame (if any) and wait.</summary>
    Empty = 0,

    /// <summary>The sink refused an item: send this frame and drain again into a fresh one.</summary>
    FrameFull = 1,

    /// <summary>The session must be closed as a slow consumer (documented close code); pending notices were drained first.</summary>
    SlowConsumer = 2,

    /// <summary>The outbox was disposed.</summary>
    Closed = 3,
}
