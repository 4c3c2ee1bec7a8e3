using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Client.Cli;

/// <summary>Options every streaming command shares: where to connect, what to subscribe, for how long.</summary>
internal sealed record StreamOptions(Uri Url, string? Token, IReadOnlyList<string> Symbols, SubscriptionMode Mode, int MaxRateMs, double Seconds, long Count)
{
    public const string DefaultUrl = "ws://127.0.0.1:5080/ws";

    /// <summary>Reads the shared options (after the command read its own) and rejects anything left over.</summary>
    public static StreamOptions Read(CliArguments args, SubscriptionMode defaultMode, double defaultSeconds, IReadOnlyList<string>? defaultSymbols = null)
    {
        var url = ReadUrl(args);
        var token = args.String("token") ?? Environment.GetEnvironmentVariable("MARKETSTREAM_TOKEN");
        var mode = args.String("mode") switch
        {
            null => defaultMode,
            "conflated" => SubscriptionMode.Conflated,
            "full" => SubscriptionMode.Full,
            var other => throw new CliUsageException($"--mode must be conflated or full; got '{other}'"),
        };
        var maxRate = args.Int("max-rate", 0, 0, SubscriptionLimits.MaxIntervalMs);
        var seconds = args.Seconds("seconds", defaultSeconds);
        var count = args.Int("count", 0, 0, int.MaxValue);
        args.RejectUnknown();
        var symbols = args.Positional.Count > 0 ? args.Positional : defaultSymbols ?? throw new CliUsageException("name at least one symbol or pattern (AAPL, EUR*, *)");
        return new StreamOptions(url, token, symbols, mode, maxRate, seconds, count);
    }

    /// <summary>--url, else MARKETSTREAM_URL, else the server's default address.</summary>
    public static Uri ReadUrl(CliArguments args)
    {
        var text = args.String("url") ?? Environment.GetEnvironmentVariable("MARKETSTREAM_URL") ?? DefaultUrl;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("ws" or "wss" or "http" or "https"))
        {
            throw new CliUsageException($"--url must be a ws:// or wss:// URL such as {DefaultUrl}; got '{text}'");
        }

        // Accept the server's http address too: the WebSocket lives at /ws on the same port.
        if (url.Scheme is "http" or "https")
        {
            var builder = new UriBuilder(url) { Scheme = url.Scheme == "https" ? "wss" : "ws" };
            if (builder.Path is "" or "/")
            {
                builder.Path = WireProtocol.Endpoint;
            }

            url = builder.Uri;
        }

        return url;
    }
}
