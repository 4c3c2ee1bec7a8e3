using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using MarketStream.Feeds.Configuration;
using MarketStream.Feeds.Symbols;
using MarketStream.Feeds.Synthetic;
using MarketStream.Model;
using MarketStream.Protocol;
using MarketStream.Server.Auth;
using MarketStream.Server.Hosting;
using MessagePack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MarketStream.Benchmarks.Feeds;

/// <summary>
/// The ingest endpoint's rate over loopback: starts the real server in this process on
/// 127.0.0.1:0 (ingest only, the engine's sequencer and fan-out consuming the ring), connects
/// publisher WebSockets with a publisher token, and pushes pre-encoded IngestTicks messages of
/// synthetic ticks with a few messages in flight per connection, counting only ticks confirmed by
/// an IngestAck with no reject. Compared in the same run with decoding the same messages in
/// process (<see cref="ClientMessageReader"/>, one thread, no socket, before the server starts) —
/// the part of the server's work that does not depend on the network. Bounded: each round sends for <c>--seconds</c>,
/// then waits for its acks; the server stops at the end.
/// <c>dotnet run -c Release --project perf/MarketStream.Benchmarks -p:SkipWebFrontEnd=true -- ingest-throughput [--runs 5] [--seconds 3] [--publishers 1] [--batch 1000] [--window 4]</c>
/// </summary>
internal static class IngestThroughputHarness
{
    private const int DistinctMessages = 64;

    public static int Run(string[] args)
    {
        var runs = 5;
        var seconds = 3.0;
        var publishers = 1;
        var batch = 1_000;
        var window = 4;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length: runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--seconds" when i + 1 < args.Length: seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--publishers" when i + 1 < args.Length: publishers = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batch" when i + 1 < args.Length: batch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--window" when i + 1 < args.Length: window = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"Unknown option '{args[i]}'. Usage: ingest-throughput [--runs N] [--seconds S] [--publishers N] [--batch N] [--window N]");
                    return 2;
            }
        }

        if (runs < 1 || seconds is <= 0 or > 60 || publishers is < 1 or > 64 || batch is < 1 or > 65_536 || window is < 1 or > 64)
        {
            Console.Error.WriteLine("--runs ≥ 1, --seconds in (0, 60], --publishers 1–64, --batch 1–65,536, --window 1–64.");
            return 2;
        }

        return RunAsync(runs, TimeSpan.FromSeconds(seconds), publishers, batch, window).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int runs, TimeSpan duration, int publishers, int batch, int window)
    {
        var messages = Encode(UniverseLoader.LoadEmbedded(), batch);

        // The decode baseline runs before the server starts: its engine threads would share the cores.
        DecodeRate(messages, batch, TimeSpan.FromSeconds(0.5));
        var decode = new List<double>();
        for (var round = 1; round <= runs; round++)
        {
            decode.Add(DecodeRate(messages, batch, TimeSpan.FromSeconds(1)));
            Console.WriteLine($"run {round,2} decode only {Rates.Format(decode[^1]),8} ticks/s");
        }

        var app = MarketStreamServer.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MarketStream:Feeds:Synthetic:Enabled"] = "false",
                ["MarketStream:Feeds:Ingest:Enabled"] = "true",
                ["MarketStream:Feeds:Ingest:MaxTicksPerMessage"] = batch.ToString(CultureInfo.InvariantCulture),
                ["MarketStream:Feeds:Ingest:MaxMessageBytes"] = (64 << 20).ToString(CultureInfo.InvariantCulture),
                // The 64 messages are sent again and again, so their exchange times repeat.
                ["MarketStream:Feeds:Validation:RequireOrderedExchangeTime"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
            });
        });
        await app.StartAsync().ConfigureAwait(false);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            var uri = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + "/ingest");
            var token = app.Services.GetRequiredService<TokenService>().Issue("bench-publisher", TokenRole.Publisher, [], TimeSpan.FromHours(1));
            Console.WriteLine($"ingest-throughput: {runs} runs × {duration.TotalSeconds:F1} s; {publishers} publisher connection(s), {batch:N0} ticks a message " +
                $"({messages[0].Length / (double)batch:F1} B/tick), {window} message(s) in flight each; server {uri}; {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}");

            Console.WriteLine("warm-up round (not counted)...");
            await PublishRateAsync(uri, token, messages, batch, publishers, window, TimeSpan.FromSeconds(1)).ConfigureAwait(false);

            var ingest = new List<double>();
            for (var round = 1; round <= runs; round++)
            {
                ingest.Add(await PublishRateAsync(uri, token, messages, batch, publishers, window, duration).ConfigureAwait(false));
                Console.WriteLine($"run {round,2} ingest over loopback {Rates.Format(ingest[^1]),8} ticks/s");
            }

            Console.WriteLine();
            Console.WriteLine($"{runs} runs; ticks/s as median (min–max).");
            Console.WriteLine();
            Console.WriteLine("| path | ticks/s | vs decode only |");
            Console.WriteLine("|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| /ingest over loopback ({publishers} × {batch:N0}-tick messages, window {window}) → ring → sequencer → fan-out | {Rates.Format(Rates.Median(ingest))} ({Rates.Format(ingest.Min())}–{Rates.Format(ingest.Max())}) | {Rates.Median(ingest) / Rates.Median(decode):F2}× |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| decode only (ClientMessageReader, 1 thread, no socket, no server running) | {Rates.Format(Rates.Median(decode))} ({Rates.Format(decode.Min())}–{Rates.Format(decode.Max())}) | 1.00× |"));
            return 0;
        }
        finally
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary><see cref="DistinctMessages"/> IngestTicks messages of seeded synthetic ticks.</summary>
    private static byte[][] Encode(SymbolUniverse universe, int batch)
    {
        var model = new SyntheticModel(universe, new SyntheticFeedOptions { Seed = 5, StartTime = DateTimeOffset.UnixEpoch.AddYears(56) }, 5);
        var result = new byte[DistinctMessages][];
        var t = default(Tick);
        for (var m = 0; m < result.Length; m++)
        {
            var output = new ArrayBufferWriter<byte>(batch * 40);
            var writer = new MessagePackWriter(output);
            ClientMessageWriter.WriteIngestTicksHeader(ref writer, m + 1, batch);
            for (var i = 0; i < batch; i++)
            {
                model.Next(ref t, 0);
                ClientMessageWriter.WriteIngestTick(ref writer, new IngestTick(universe[t.SymbolId].Name, t));
            }

            writer.Flush();
            result[m] = output.WrittenSpan.ToArray();
        }

        return result;
    }

    private static double DecodeRate(byte[][] messages, int batch, TimeSpan duration)
    {
        long ticks = 0;
        var started = Stopwatch.GetTimestamp();
        var m = 0;
        while (Stopwatch.GetElapsedTime(started) < duration)
        {
            if (!ClientMessageReader.TryRead(messages[m++ % messages.Length], out var message, out var error) || ((IngestTicksRequest)message!).Ticks.Count != batch)
            {
                throw new InvalidOperationException("decode failed: " + error.Message);
            }

            ticks += batch;
        }

        return ticks / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static async Task<double> PublishRateAsync(Uri uri, string token, byte[][] messages, int batch, int publishers, int window, TimeSpan duration)
    {
        var connections = new ClientWebSocket[publishers];
        for (var p = 0; p < publishers; p++)
        {
            connections[p] = await ConnectAsync(uri, token).ConfigureAwait(false);
        }

        try
        {
            var started = Stopwatch.GetTimestamp();
            var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var counts = await Task.WhenAll(connections.Select(c => PublishAsync(c, messages, batch, window, stopAt))).ConfigureAwait(false);
            return counts.Sum() / Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
        finally
        {
            foreach (var connection in connections)
            {
                using var close = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await connection.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", close.Token).ConfigureAwait(false);
                connection.Dispose();
            }
        }
    }

    private static async Task<ClientWebSocket> ConnectAsync(Uri uri, string token)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(WireProtocol.SubProtocol);
        socket.Options.AddSubProtocol(WireProtocol.TokenSubProtocolPrefix + token);
        await socket.ConnectAsync(uri, CancellationToken.None).ConfigureAwait(false);
        var buffer = new byte[4096];
        if (await ReceiveAsync(socket, buffer).ConfigureAwait(false) is not WelcomeMessage || await ReceiveAsync(socket, buffer).ConfigureAwait(false) is not AuthenticatedMessage)
        {
            throw new InvalidOperationException("the server did not accept the publisher token");
        }

        return socket;
    }

    /// <summary>Sends until <paramref name="stopAt"/> with at most <paramref name="window"/> unacknowledged messages; returns the ticks acknowledged.</summary>
    private static async Task<long> PublishAsync(ClientWebSocket socket, byte[][] messages, int batch, int window, long stopAt)
    {
        using var credits = new SemaphoreSlim(window, window);
        long sent = 0;
        var sending = Task.Run(async () =>
        {
            var m = 0;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                await credits.WaitAsync().ConfigureAwait(false);
                await socket.SendAsync(messages[m++ % messages.Length], WebSocketMessageType.Binary, true, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Increment(ref sent);
            }
        });

        var buffer = new byte[64 * 1024];
        long acked = 0;
        while (!sending.IsCompleted || acked < Interlocked.Read(ref sent))
        {
            if (acked == Interlocked.Read(ref sent))
            {
                // Nothing in flight: the sender is between messages or has stopped.
                await Task.WhenAny(sending, Task.Delay(1)).ConfigureAwait(false);
                continue;
            }

            if (await ReceiveAsync(socket, buffer).ConfigureAwait(false) is not IngestAckMessage { Rejected.Count: 0 } ack || ack.Accepted != batch)
            {
                throw new InvalidOperationException("expected an IngestAck accepting the whole message");
            }

            acked++;
            credits.Release();
        }

        await sending.ConfigureAwait(false);
        return acked * batch;
    }

    private static async Task<ServerMessageBody?> ReceiveAsync(ClientWebSocket socket, byte[] buffer)
    {
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                break;
            }
        }

        var reader = new ServerFrameReader(buffer.AsMemory(0, length));
        return reader.Read(out var message, out _) == ReadStatus.Message ? message.Body : null;
    }
}
