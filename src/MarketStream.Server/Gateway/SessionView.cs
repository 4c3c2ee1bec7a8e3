namespace MarketStream.Server.Gateway;

/// <summary>One row of <c>GET /api/sessions</c> (docs/operations.md): a session's identity and figures at one instant.</summary>
internal sealed record SessionView(
    string Id,
    string RemoteAddress,
    string Subject,
    DateTimeOffset ConnectedAt,
    int Subscriptions,
    int Symbols,
    long LagMs,
    long QueuedBytes,
    int QueuedUpdates,
    long UpdatesSent,
    long MergedSent,
    long FramesSent,
    UpgradePath Upgrade);
