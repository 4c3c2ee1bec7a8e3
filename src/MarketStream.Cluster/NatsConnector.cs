using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace MarketStream.Cluster;

/// <summary>
/// Creates a node's NATS connection and connects it in the background, retrying until it
/// succeeds or the node stops: a node must come up (and serve its local clients) even while NATS
/// is down. Once connected, NATS.Net reconnects by itself and restores subscriptions.
/// </summary>
internal static partial class NatsConnector
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    public static NatsConnection Create(ClusterOptions options, string name) =>
        new(NatsOpts.Default with
        {
            Url = options.NatsUrl,
            Name = name,
            MaxReconnectRetry = -1, // forever: a gateway without NATS has nothing to serve
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromSeconds(1),
            ReconnectJitter = TimeSpan.FromMilliseconds(50),
            SubPendingChannelCapacity = options.SubscriptionCapacity,
            SubPendingChannelFullMode = System.Threading.Channels.BoundedChannelFullMode.DropNewest,
        });

    public static async Task ConnectAsync(NatsConnection connection, ILogger logger, CancellationToken stop)
    {
        var attempt = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await connection.ConnectAsync().ConfigureAwait(false);
                Log.Connected(logger, connection.Opts.Url);
                return;
            }
            catch (NatsException ex)
            {
                if (attempt++ % 20 == 0)
                {
                    Log.ConnectFailed(logger, ex, connection.Opts.Url);
                }

                await Task.Delay(RetryDelay, stop).ConfigureAwait(false);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Connected to NATS at {Url}")]
        public static partial void Connected(ILogger logger, string url);

        [LoggerMessage(2, LogLevel.Warning, "Cannot connect to NATS at {Url}; retrying")]
        public static partial void ConnectFailed(ILogger logger, Exception exception, string url);
    }
}
