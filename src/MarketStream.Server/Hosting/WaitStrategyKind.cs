namespace MarketStream.Server.Hosting;

/// <summary>How the engine's ring stages wait for ticks (docs/architecture.md, tick ring).</summary>
public enum WaitStrategyKind
{
    /// <summary>Sleep on a monitor until signalled: no CPU while idle, tens of microseconds to wake. The default.</summary>
    Blocking = 0,

    /// <summary>Spin, then yield the core: low latency, a core busy only while others want none.</summary>
    Yielding = 1,

    /// <summary>Spin, then yield, then sleep: little CPU when idle, up to a millisecond to wake.</summary>
    Sleeping = 2,

    /// <summary>Spin forever: lowest latency, one core per stage burned permanently. Only with spare cores.</summary>
    BusySpin = 3,
}
