namespace MarketStream.Cluster;

/// <summary>
/// A node's scale-out figures (<c>GET /api/cluster</c>). Ingest: updates published, dropped while
/// NATS was away, snapshots served. Gateway: updates received, malformed messages, recoveries
/// started (first sight, gap, reconnect, ingest restart), snapshots installed as resets, epoch
/// starts followed, symbols waiting for a snapshot now, ingest node restarts seen, ingest nodes whose epoch
/// announcement was heard (a restart is recognised only for those).
/// </summary>
public sealed record ClusterStatus(
    ClusterRole Role,
    string? NatsUrl,
    string SubjectPrefix,
    bool Connected,
    long Published,
    long PublishDropped,
    long SnapshotsServed,
    long Received,
    long Malformed,
    long Recoveries,
    long Resets,
    long EpochStarts,
    int Recovering,
    long NodeRestarts,
    int IngestNodes);
