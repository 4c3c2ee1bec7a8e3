namespace MarketStream.Cluster;

/// <summary>What a node does in a MarketStream deployment (docs/architecture.md, scale-out).</summary>
public enum ClusterRole
{
    /// <summary>Feeds, engine and WebSockets in one process with no broker. The default.</summary>
    Embedded = 0,

    /// <summary>Feeds → ring → sequencer assigning <c>(epoch, seq)</c> → every update published to NATS; answers snapshot requests.</summary>
    Ingest = 1,

    /// <summary>NATS → local ring (upstream <c>(epoch, seq)</c> kept) → fan-out → WebSockets; local feeds are not started.</summary>
    Gateway = 2,
}
