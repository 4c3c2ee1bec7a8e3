using MarketStream.Model;


namespace MarketStream.Cluster;

/// <summary>A gateway's view of one upstream symbol stream: what it has passed to its ring, and any recovery in progress.</summary>
internal sealed class UpstreamSymbol(string name)
{
    public string Name { get; } = name;

    /// <summary>Registry id once the symbol is known locally; -1 before.</summary>
    public int SymbolId { get; set; } = -1;

    /// <summary>True once the position below is continuous with upstream (a snapshot or an epoch start was applied).</summary>
    public bool Synced { get; set; }

    /// <summary>Position of the last update or snapshot passed to the ring.</summary>
    public long Epoch { get; set; }

    public long Seq { get; set; }

    /// <summary>A snapshot request is in flight; updates wait in <see cref="Held"/>.</summary>
    public bool Recovering { get; set; }

    /// <summary>
    /// Name of the ingest node asked to answer even with nothing sequenced (it restarted while the
    /// symbol was in its old epoch); null for an ordinary request, which only a node holding data answers.
    /// </summary>
    public string? Claim { get; set; }

    /// <summary>Identifies the latest request, so a late reply to an older one is ignored.</summary>
    public int Generation { get; set; }

    /// <summary>Updates received after the latest snapshot request was sent, in arrival order.</summary>
    public List<Tick> Held { get; } = [];
}
