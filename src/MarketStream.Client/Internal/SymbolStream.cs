using MarketStream.Model;


namespace MarketStream.Client.Internal;

/// <summary>One symbol's book entry and stream position, kept by name across reconnects (ids change, names do not).</summary>
internal sealed class SymbolStream(SymbolInfo info)
{
    /// <summary>Definition from the current connection (its id is valid on that connection only).</summary>
    public SymbolInfo Info { get; set; } = info;

    /// <summary>Book state; <c>State.Epoch</c>/<c>State.Seq</c> is the resume position once <see cref="HasPosition"/>.</summary>
    public SymbolSnapshot State;

    /// <summary>True once a snapshot, reset or update has been applied.</summary>
    public bool HasPosition { get; set; }
}
