using BenchmarkDotNet.Running;
using MarketStream.Benchmarks.Cluster;
using MarketStream.Benchmarks.Engine;
using MarketStream.Benchmarks.Ring;

// `-- ring-throughput [--runs 10] [--events N]` runs the ring-vs-channel throughput harness;
// `-- engine-throughput [--runs 5] [--sessions 1,100,1000] [--wait …]` the end-to-end engine one;
// `-- engine-stages [--sessions 100]` each engine stage's cost on one thread (before/after comparisons);
// `-- cluster-hop [--symbols 1000] [--seconds 5] [--rates 20000,100000,max]` ingest → NATS → gateway vs embedded;
// `-- feed-throughput [--runs 5]` synthetic and replay (.mstk, .csv) into the ring vs a ring-only producer;
// `-- ingest-throughput [--runs 5]` publishers on the /ingest endpoint of an in-process server over loopback;
// anything else goes to BenchmarkSwitcher (`-- --filter '*'` runs every BenchmarkDotNet class).
// See perf/README.md for the command behind each published figure.
if (args.Length > 0 && args[0] == "ring-throughput")
{
    return RingThroughputHarness.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "engine-throughput")
{
    return EngineThroughputHarness.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "feed-throughput")
{
    return MarketStream.Benchmarks.Feeds.FeedThroughputHarness.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "ingest-throughput")
{
    return MarketStream.Benchmarks.Feeds.IngestThroughputHarness.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "engine-stages")
{
    return EngineStageCostHarness.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "cluster-hop")
{
    return ClusterHopHarness.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(MarketStream.Benchmarks.Feeds.FeedBenchmarks).Assembly).Run(args);
return 0;
