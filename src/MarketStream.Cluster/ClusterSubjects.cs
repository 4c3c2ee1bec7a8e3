namespace MarketStream.Cluster;

/// <summary>
/// The NATS subject scheme (docs/architecture.md, scale-out): <c>{prefix}.u.{symbol}</c> carries
/// a symbol's sequenced updates, <c>{prefix}.snap.{symbol}</c> answers snapshot requests, and
/// <c>{prefix}.epoch</c> carries the ingest nodes' epoch announcements.
/// </summary>
/// <remarks>
/// One subject per symbol keeps a symbol's updates in order on one subject (NATS orders messages
/// per publisher and subject), lets a gateway narrow its interest with subject filters, and routes
/// a snapshot request to the ingest node that owns the symbol. Symbol names may contain <c>.</c>,
/// the NATS token separator, so it is written as <c>~</c> (not a legal symbol character, so the
/// mapping is reversible); every other legal symbol character is legal in a subject token.
/// </remarks>
internal sealed class ClusterSubjects
{
    public ClusterSubjects(string prefix)
    {
        Prefix = prefix;
        UpdatePrefix = prefix + ".u.";
        SnapshotPrefix = prefix + ".snap.";
        Epochs = prefix + ".epoch";
    }

    /// <summary><c>{prefix}.epoch</c>: ingest nodes announce their name and epoch here.</summary>
    public string Epochs { get; }

    public string Prefix { get; }

    /// <summary><c>{prefix}.u.</c>: followed by the symbol token.</summary>
    public string UpdatePrefix { get; }

    /// <summary><c>{prefix}.snap.</c>: followed by the symbol token.</summary>
    public string SnapshotPrefix { get; }

    /// <summary>Every update subject: what a gateway subscribes to.</summary>
    public string AllUpdates => UpdatePrefix + ">";

    /// <summary>Every snapshot request subject: what an ingest node answers.</summary>
    public string AllSnapshots => SnapshotPrefix + ">";

    public string Update(string symbol) => UpdatePrefix + ToToken(symbol);

    public string Snapshot(string symbol) => SnapshotPrefix + ToToken(symbol);

    /// <summary>The symbol token of <paramref name="subject"/> after <paramref name="prefix"/>, written back into <paramref name="name"/>; false if it is not one of ours.</summary>
    public static bool TryGetSymbol(string subject, string prefix, Span<char> name, out int length)
    {
        length = 0;
        if (!subject.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var token = subject.AsSpan(prefix.Length);
        if (token.Length == 0 || token.Length > name.Length)
        {
            return false;
        }

        token.CopyTo(name);
        name[..token.Length].Replace('~', '.');
        length = token.Length;
        return true;
    }

    public static bool IsValidPrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix) || prefix.Length > 32 || prefix[0] == '.' || prefix[^1] == '.' || prefix.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in prefix)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static string ToToken(string symbol) => symbol.Replace('.', '~');
}
