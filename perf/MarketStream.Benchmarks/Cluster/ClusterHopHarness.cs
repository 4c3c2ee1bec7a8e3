using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MarketStream.Cluster;
using MarketStream.Core.Engine;
using MarketStream.Core.Ring;
using MarketStream.Core.Symbols;
using MarketStream.Model;
using MarketStream.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketStream.Benchmarks.Cluster;

/// <summary>
/// Scale-out benchmark (perf/README.md, "Scale-out"): one process runs an ingest node
/// (ring → sequencer → fan-out, plus the NATS publishing stage) and a gateway node (NATS → its own
/// ring → sequencer → fan-out) against a real nats-server on 127.0.0.1. A producer thread feeds the
/// ingest ring at a fixed rate (or flat out); a probe behind fan-out on each node measures producer
/// stamp → fan-out done. The ingest node's figure is the embedded path, the gateway's the same
/// ticks after the NATS hop: same run, same ticks, same clock.
/// </summary>
internal static class ClusterHopHarness
{
    private const int SampleCapacity = 4_000_000;

    public static int Run(string[] args)
    {
        var symbols = IntArg(args, "--symbols", 1000);
        var seconds = IntArg(args, "--seconds", 5);
        var rates = (StringArg(args, "--rates") ?? "20000,100000,max").Split(',');
        var natsPath = StringArg(args, "--nats-server") ?? "/usr/sbin/nats-server";

        var port = FreePort();
        using var nats = Process.Start(new ProcessStartInfo(natsPath, $"-a 127.0.0.1 -p {port}") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("nats-server did not start");
        try
        {
            WaitForPort(port);
            Console.WriteLine($"cluster-hop: {symbols} symbols, {seconds} s per rate, nats-server {natsPath} on 127.0.0.1:{port}, {Environment.ProcessorCount} cores");
            Console.WriteLine("rate target | fed/s | gateway recv/s | embedded p50/p99 µs | via NATS p50/p99 µs | hop p50/p99 µs | recoveries");
            foreach (var rate in rates)
            {
                var target = rate == "max" ? 0 : int.Parse(rate, CultureInfo.InvariantCulture);
                RunOnce($"nats://127.0.0.1:{port}", symbols, target, TimeSpan.FromSeconds(seconds));
            }
        }
        finally
        {
            nats.Kill();
            nats.WaitForExit(5000);
        }

        return 0;
    }

    private static void RunOnce(string url, int symbols, int rate, TimeSpan duration)
    {
        var options = new ClusterOptions { Role = ClusterRole.Ingest, NatsUrl = url, SubjectPrefix = "bench" + Environment.TickCount64.ToString(CultureInfo.InvariantCulture) };
        using var ingest = new Node(symbols);
        using var gateway = new Node(symbols);
        var publisher = new IngestNode(options, ingest.Engine, NullLogger.Instance);
        ingest.Pipeline.HandleWith(publisher, ingest.SequencingStage);
        var bridge = new GatewayNode(options, gateway.Engine, gateway.Pipeline.RingBuffer, NullLogger.Instance);
        ingest.Pipeline.Start();
        gateway.Pipeline.Start();
        publisher.Start();
        bridge.Start();
        try
        {
            SpinUntil(() => publisher.IsConnected && bridge.IsConnected, TimeSpan.FromSeconds(10));

            // Warm-up: every symbol seen (and snapshotted) once by the gateway, JIT settled.
            Produce(ingest, symbols, rate == 0 ? 50_000 : Math.Min(rate, 50_000), TimeSpan.FromSeconds(1));
            SpinUntil(() => bridge.RecoveringCount == 0, TimeSpan.FromSeconds(10));
            var recoveriesBefore = bridge.Recoveries;
            var receivedBefore = bridge.Received;
            ingest.Probe.Record(true);
            gateway.Probe.Record(true);
            var stopwatch = Stopwatch.StartNew();
            var fed = Produce(ingest, symbols, rate, duration);
            var fedSeconds = stopwatch.Elapsed.TotalSeconds;

            // Let the gateway finish what is in flight, then stop recording.
            var target = receivedBefore + fed;
            SpinUntil(() => bridge.Received >= target, TimeSpan.FromSeconds(5));
            var recvSeconds = stopwatch.Elapsed.TotalSeconds;
            var received = bridge.Received - receivedBefore;
            ingest.Probe.Record(false);
            gateway.Probe.Record(false);

            var embedded = ingest.Probe.Percentiles();
            var viaNats = gateway.Probe.Percentiles();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(rate == 0 ? "max" : rate.ToString("N0", CultureInfo.InvariantCulture)),11} | {fed / fedSeconds,9:N0} | {received / recvSeconds,14:N0} | {embedded.P50,8:N1} / {embedded.P99,8:N1} | {viaNats.P50,8:N1} / {viaNats.P99,8:N1} | {viaNats.P50 - embedded.P50,6:N1} / {viaNats.P99 - embedded.P99,8:N1} | {bridge.Recoveries - recoveriesBefore}"));
        }
        finally
        {
            bridge.DisposeAsync().AsTask().GetAwaiter().GetResult();
            ingest.Pipeline.Drain(TimeSpan.FromSeconds(5));
            gateway.Pipeline.Drain(TimeSpan.FromSeconds(5));
            publisher.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Feeds quotes round-robin over the symbols at <paramref name="rate"/> per second (0: flat out); returns how many.</summary>
    private static long Produce(Node node, int symbols, int rate, TimeSpan duration)
    {
        var ring = node.Pipeline.RingBuffer;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long produced = 0;
        const int Batch = 16;
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= end)
            {
                return produced;
            }

            if (rate > 0 && produced >= (double)(now - start) / Stopwatch.Frequency * rate)
            {
                Thread.SpinWait(50);
                continue;
            }

            var high = ring.Next(Batch);
            var stamp = LatencyProbe.NowNs();
            for (var s = high - Batch + 1; s <= high; s++)
            {
                ref var tick = ref ring[s];
                var price = 10_000 + (produced & 255);
                tick = new Tick
                {
                    SymbolId = (int)(produced % symbols),
                    Kind = TickKind.Quote,
                    BidPrice = price,
                    BidSize = 100,
                    AskPrice = price + 1,
                    AskSize = 100,
                    ReceiveTimeNs = stamp,
                };
                produced++;
            }

            ring.Publish(high - Batch + 1, high);
        }
    }

    private static void SpinUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition() && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Sleep(10);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void WaitForPort(int port)
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(25);
            }
        }

        throw new InvalidOperationException("nats-server did not open its port");
    }

    private static int IntArg(string[] args, string name, int fallback) =>
        StringArg(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static string? StringArg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>One node's engine: registry of the same synthetic symbols, ring with sequencer → fan-out → probe.</summary>
    private sealed class Node : IDisposable
    {
        public Node(int symbols)
        {
            var registry = new SymbolRegistry();
            for (var i = 0; i < symbols; i++)
            {
                registry.GetOrAdd(new SymbolDefinition("S" + i.ToString("D5", CultureInfo.InvariantCulture), 2, 0));
            }

            // A shallow history keeps two engines × 1,000 symbols small on a shared machine; depth
            // does not change the per-tick path measured here.
            Engine = new MarketEngine(registry, MessagePackUpdateEncoder.Instance, new EngineOptions { HistoryDepth = 64 });
            Pipeline = new RingPipeline<Tick>(1 << 16, ProducerType.Multi, new BlockingWaitStrategy());
            SequencingStage = Pipeline.HandleWith(Engine.Sequencing);
            var fanOut = Pipeline.HandleWith(Engine.FanOut, SequencingStage);
            Pipeline.HandleWith(Probe, fanOut);
        }

        public MarketEngine Engine { get; }

        public RingPipeline<Tick> Pipeline { get; }

        public RingStage SequencingStage { get; }

        public LatencyProbe Probe { get; } = new(SampleCapacity);

        public void Dispose() => Pipeline.Dispose();
    }
}
