using MarketStream.Feeds.Validation;
namespace MarketStream.Feeds.Hosting;

/// <summary>
/// A source of ticks run by a <see cref="FeedHost"/> on its own dedicated thread. Implementations
/// publish through the <see cref="TickPublisher"/> they are given (claim, fill in place, publish;
/// no allocation per tick) and return when their data ends or the stop token fires. An exception
/// out of <see cref="Run"/> is counted and, when <see cref="IsRestartable"/> agrees, the host runs
/// the handler again after a back-off.
/// </summary>
/// <remarks>
/// Epoch rule (docs/feeds.md §Restarts and epochs): a local feed leaves <c>Epoch</c>/<c>Seq</c> zero
/// and the sequencer stage numbers its ticks, so a restart only has to be recorded. A feed whose
/// ticks carry upstream-assigned sequences (<see cref="SequencedUpstream"/>) must not continue
/// silently after a restart: on a run with <c>restart &gt; 0</c> it has to start a new epoch (or
/// prove continuity with its upstream) before publishing.
/// </remarks>
public abstract class FeedHandler
{
    /// <summary>Creates a handler named <paramref name="name"/> (used in status, logs and thread names).</summary>
    protected FeedHandler(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>Feed name, unique within a host.</summary>
    public string Name { get; }

    /// <summary>
    /// True when a gap of ticks means something is wrong: the host reports the feed stalled after
    /// the stall timeout without a tick. False for feeds whose silences are legitimate (a replay
    /// at recorded pace). Defaults to <c>true</c>.
    /// </summary>
    public virtual bool ExpectsContinuousFlow => true;

    /// <summary>True when ticks carry upstream-assigned epoch and sequence (see the remarks). Defaults to <c>false</c>.</summary>
    public virtual bool SequencedUpstream => false;

    /// <summary>Input ticks refused by validation so far, by reason. Defaults to <c>null</c> (the feed validates nothing).</summary>
    public virtual TickRejectCounts? Rejects => null;

    /// <summary>Input ticks refused by validation so far.</summary>
    public long RejectedTicks => Rejects?.Total ?? 0;

    /// <summary>
    /// Produces ticks until the data ends (return) or <paramref name="stop"/> fires (return).
    /// Runs on the handler's dedicated thread.
    /// </summary>
    /// <param name="publisher">The way into the ring.</param>
    /// <param name="restart">0 on the first run; the restart count on later runs.</param>
    /// <param name="stop">Signalled when the host stops.</param>
    protected internal abstract void Run(TickPublisher publisher, int restart, CancellationToken stop);

    /// <summary>
    /// Whether running again could help after <paramref name="exception"/>. Defaults to <c>true</c>
    /// except for <see cref="FeedDataException"/> (a malformed input stays malformed).
    /// </summary>
    protected internal virtual bool IsRestartable(Exception exception) => exception is not FeedDataException;
}
