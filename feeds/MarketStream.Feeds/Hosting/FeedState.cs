namespace MarketStream.Feeds.Hosting;

/// <summary>Life cycle of a feed handler under a <see cref="FeedHost"/>.</summary>
public enum FeedState
{
    /// <summary>Added, not started.</summary>
    Created = 0,

    /// <summary>Producing (or waiting for data, pace or ring room).</summary>
    Running = 1,

    /// <summary>Threw; waiting out the back-off before the next attempt.</summary>
    Restarting = 2,

    /// <summary>Ran out of data (a replay at its end, a synthetic feed with a tick limit).</summary>
    Completed = 3,

    /// <summary>Stopped on request.</summary>
    Stopped = 4,

    /// <summary>Gave up: a non-restartable error (malformed file) or too many consecutive failures.</summary>
    Faulted = 5,
}
