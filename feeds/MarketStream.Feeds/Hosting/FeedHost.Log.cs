using Microsoft.Extensions.Logging;

namespace MarketStream.Feeds.Hosting;

public sealed partial class FeedHost
{
    internal static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Feed {Feed} started.")]
        public static partial void FeedStarted(ILogger logger, string feed);

        [LoggerMessage(2, LogLevel.Information, "Feed {Feed} ended ({State}) after {Published} ticks.")]
        public static partial void FeedEnded(ILogger logger, string feed, FeedState state, long published);

        [LoggerMessage(3, LogLevel.Warning, "Feed {Feed} failed; restart {Restart} in {DelayMs} ms.")]
        public static partial void FeedFailed(ILogger logger, Exception exception, string feed, int restart, double delayMs);

        [LoggerMessage(4, LogLevel.Error, "Feed {Feed} faulted and will not be restarted.")]
        public static partial void FeedFaulted(ILogger logger, Exception exception, string feed);

        [LoggerMessage(5, LogLevel.Warning, "Feed {Feed} stalled: no tick for {Seconds:F1} s (waiting for ring room: {WaitingForRoom}).")]
        public static partial void FeedStalled(ILogger logger, string feed, double seconds, bool waitingForRoom);

        [LoggerMessage(6, LogLevel.Information, "Feed {Feed} is publishing again.")]
        public static partial void FeedResumed(ILogger logger, string feed);

        [LoggerMessage(7, LogLevel.Warning, "Feed {Feed} carries upstream sequences and restarted ({Restart}): it must start a new epoch.")]
        public static partial void UpstreamSequencedRestart(ILogger logger, string feed, int restart);
    }
}
