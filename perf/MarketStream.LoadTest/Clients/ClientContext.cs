using MarketStream.Protocol;
using MarketStream.LoadTest.Measurement;
using MarketStream.LoadTest.Targets;

namespace MarketStream.LoadTest.Clients;

/// <summary>What a client needs from its run: where to connect, where to count, how to misbehave.</summary>
/// <param name="Index">Client number (spreads clients over latency recorder shards).</param>
/// <param name="BaseUri">Server base address (loopback).</param>
/// <param name="Connector">Source-address round robin.</param>
/// <param name="Counters">This client's counters.</param>
/// <param name="Latency">Where its latencies go; null records none (e.g. idle connections).</param>
/// <param name="Symbols">The universe: symbol name → index for <see cref="ILoadClient.LastSeq"/>.</param>
/// <param name="Stall">Set for clients that stall; null for well-behaved ones.</param>
/// <param name="Timeout">Idle/keep-alive timeout the client tolerates (longer than any stall).</param>
/// <param name="Mode">How a MarketStream client subscribes (SignalR has one mode: every tick).</param>
internal sealed record ClientContext(
    int Index,
    Uri BaseUri,
    LoopbackConnector Connector,
    ClientCounters Counters,
    LatencyRecorder? Latency,
    SymbolCatalog Symbols,
    StallControl? Stall,
    TimeSpan Timeout,
    SubscriptionMode Mode = SubscriptionMode.Conflated);
