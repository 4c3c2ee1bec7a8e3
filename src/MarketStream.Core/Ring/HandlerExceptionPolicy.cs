namespace MarketStream.Core.Ring;

/// <summary>What a stage does when its handler throws.</summary>
public enum HandlerExceptionPolicy
{
    /// <summary>
    /// Report the exception, count the event as processed and go on with the next one: one bad
    /// tick must not stop the market. The default.
    /// </summary>
    LogAndContinue,

    /// <summary>
    /// Report the exception and halt the stage, leaving the failing event unprocessed (its
    /// sequence is not advanced, so producers will not overwrite it).
    /// </summary>
    Halt,
}
