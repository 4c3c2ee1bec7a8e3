namespace MarketStream.Cluster;

/// <summary>
/// Scale-out settings, bound from <c>MarketStream:Cluster</c> and validated at start-up by
/// <see cref="ClusterOptionsValidator"/> (docs/operations.md, cluster).
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "MarketStream:Cluster";

    /// <summary>This node's role. Defaults to <see cref="ClusterRole.Embedded"/> (no broker).</summary>
    public ClusterRole Role { get; set; } = ClusterRole.Embedded;

    /// <summary>NATS server URL(s), comma-separated. Defaults to <c>nats://127.0.0.1:4222</c>. Unused when embedded.</summary>
    public string NatsUrl { get; set; } = "nats://127.0.0.1:4222";

    /// <summary>
    /// First subject token(s) of every MarketStream subject, so several deployments can share one
    /// NATS cluster: updates go to <c>{prefix}.u.{symbol}</c>, snapshot requests to
    /// <c>{prefix}.snap.{symbol}</c>. 1–32 of <c>A–Z a–z 0–9 - _</c> and inner dots. Defaults to <c>ms</c>.
    /// </summary>
    public string SubjectPrefix { get; set; } = "ms";

    /// <summary>How long a gateway waits for a snapshot reply before asking again. Defaults to 2 s; 50 ms – 60 s.</summary>
    public TimeSpan SnapshotTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Updates a gateway holds per recovering symbol while its snapshot is on the way; past it the
    /// buffer is dropped and the snapshot asked for again. Defaults to 8,192; 16 – 1,048,576.
    /// </summary>
    public int RecoveryBufferLimit { get; set; } = 8192;

    /// <summary>
    /// Messages the gateway's NATS subscription may hold before the client drops new ones (the gap
    /// is then detected by sequence and repaired). Defaults to 65,536; 1,024 – 4,194,304.
    /// </summary>
    public int SubscriptionCapacity { get; set; } = 1 << 16;

    /// <summary>
    /// This ingest node's name, the same across its restarts and different from every other ingest
    /// node's: gateways use it to tell a restart (same name, new epoch) from another node, and move
    /// every symbol of the restarted node to its new epoch. 1–64 of <c>A–Z a–z 0–9 - _ .</c>.
    /// Defaults to the host name. Unused by gateways.
    /// </summary>
    public string NodeName { get; set; } = Environment.MachineName;

    /// <summary>
    /// How often an ingest node announces its name and epoch on <c>{prefix}.epoch</c> (also at once
    /// on every connect). Gateways react to a new epoch within this interval even when no message
    /// of theirs was lost. Defaults to 1 s; 100 ms – 60 s.
    /// </summary>
    public TimeSpan EpochAnnounceInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long an ingest node waits for its first NATS connection before starting its feeds, so
    /// the first updates (the synthetic feed's opening quotes) are published rather than dropped.
    /// When it passes, the feeds start anyway (the node serves its own clients) and gateways repair
    /// from snapshots once NATS is there. Defaults to 10 s; 0 – 5 min.
    /// </summary>
    public TimeSpan FeedStartWait { get; set; } = TimeSpan.FromSeconds(10);
}
