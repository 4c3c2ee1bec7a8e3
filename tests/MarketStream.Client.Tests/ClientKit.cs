using MarketStream.Client;
using MarketStream.Testing;

namespace MarketStream.Client.Tests;

/// <summary>Helpers of the client tests: connect to a test server, read events with a deadline.</summary>
internal static class ClientKit
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Server settings: the synthetic feed ticks only <paramref name="symbols"/>, none of them quiet, at <paramref name="rate"/> ticks/s in total.</summary>
    public static Dictionary<string, string?> Feed(int rate, params string[] symbols)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MarketStream:Feeds:Synthetic:Rate"] = rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MarketStream:Feeds:Synthetic:QuietFraction"] = "0",
        };
        for (var i = 0; i < symbols.Length; i++)
        {
            settings[$"MarketStream:Feeds:Synthetic:Symbols:{i}"] = symbols[i];
        }

        return settings;
    }

    public static MarketStreamClientOptions Options(RunningServer server, Action<MarketStreamClientOptions>? configure = null)
    {
        var options = new MarketStreamClientOptions
        {
            Url = server.WebSocketUri,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return options;
    }

    public static async Task<MarketStreamClient> ConnectAsync(RunningServer server, Action<MarketStreamClientOptions>? configure = null)
    {
        var client = new MarketStreamClient(Options(server, configure));
        await client.ConnectAsync(TestContext.Current.CancellationToken);
        return client;
    }

    /// <summary>Reads events until <paramref name="count"/> of them matched <paramref name="predicate"/>; returns all read. Fails on timeout.</summary>
    public static async Task<List<MarketEvent>> ReadUntilAsync(MarketStreamClient client, Func<MarketEvent, bool> predicate, int count = 1, TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? Timeout);
        var events = new List<MarketEvent>();
        var matched = 0;
        try
        {
            await foreach (var e in client.ReadEventsAsync(cts.Token))
            {
                events.Add(e);
                if (predicate(e) && ++matched == count)
                {
                    return events;
                }
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"timed out after {matched}/{count} matching events; read {events.Count}: {string.Join(", ", events.TakeLast(10))}");
        }

        Assert.Fail($"event stream ended after {matched}/{count} matching events");
        return events;
    }
}
