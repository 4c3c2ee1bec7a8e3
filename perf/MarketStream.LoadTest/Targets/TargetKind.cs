namespace MarketStream.LoadTest.Targets;

/// <summary>Which server a run loads.</summary>
internal enum TargetKind
{
    /// <summary>MarketStream's gateway: raw WebSockets, <c>marketstream.v1</c>.</summary>
    MarketStream,

    /// <summary>perf/MarketStream.SignalRBaseline: a SignalR hub, MessagePack hub protocol.</summary>
    SignalR,
}
