using Microsoft.Extensions.Options;

namespace MarketStream.Cluster;

/// <summary>Checks <see cref="ClusterOptions"/> at start-up with messages naming the key.</summary>
internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var errors = new List<string>();
        var section = ClusterOptions.SectionName;
        if (!Enum.IsDefined(options.Role))
        {
            errors.Add($"{section}:Role must be one of Embedded, Ingest, Gateway.");
        }

        if (options.Role != ClusterRole.Embedded && !IsNatsUrlList(options.NatsUrl))
        {
            errors.Add($"{section}:NatsUrl '{options.NatsUrl}' must be one or more comma-separated nats:// or tls:// URLs.");
        }

        if (!ClusterSubjects.IsValidPrefix(options.SubjectPrefix))
        {
            errors.Add($"{section}:SubjectPrefix '{options.SubjectPrefix}' must be 1-32 of A-Z a-z 0-9 - _ with dots only between tokens.");
        }

        if (options.SnapshotTimeout < TimeSpan.FromMilliseconds(50) || options.SnapshotTimeout > TimeSpan.FromSeconds(60))
        {
            errors.Add($"{section}:SnapshotTimeout is {options.SnapshotTimeout}; it must be between 00:00:00.050 and 00:01:00.");
        }

        if (options.RecoveryBufferLimit is < 16 or > 1 << 20)
        {
            errors.Add($"{section}:RecoveryBufferLimit is {options.RecoveryBufferLimit}; it must be between 16 and 1048576.");
        }

        if (options.SubscriptionCapacity is < 1024 or > 1 << 22)
        {
            errors.Add($"{section}:SubscriptionCapacity is {options.SubscriptionCapacity}; it must be between 1024 and 4194304.");
        }

        if (options.Role == ClusterRole.Ingest && !EpochAnnouncement.IsValidNodeName(options.NodeName))
        {
            errors.Add($"{section}:NodeName '{options.NodeName}' must be 1-64 of A-Z a-z 0-9 - _ . (unique per ingest node).");
        }

        if (options.EpochAnnounceInterval < TimeSpan.FromMilliseconds(100) || options.EpochAnnounceInterval > TimeSpan.FromSeconds(60))
        {
            errors.Add($"{section}:EpochAnnounceInterval is {options.EpochAnnounceInterval}; it must be between 00:00:00.100 and 00:01:00.");
        }

        if (options.FeedStartWait < TimeSpan.Zero || options.FeedStartWait > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{section}:FeedStartWait is {options.FeedStartWait}; it must be between 00:00:00 and 00:05:00.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsNatsUrlList(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || uri.Scheme is not ("nats" or "tls") || uri.Host.Length == 0)
            {
                return false;
            }
        }

        return true;
    }
}
