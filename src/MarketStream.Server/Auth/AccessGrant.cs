namespace MarketStream.Server.Auth;

/// <summary>
/// What an authenticated (or anonymous) connection may do: who it is, its role, which symbol
/// patterns it may see, and until when. Immutable; one per session.
/// </summary>
/// <param name="Subject">The token's <c>sub</c>, or <c>anonymous</c>.</param>
/// <param name="Role">The token's role.</param>
/// <param name="SymbolPatterns">Entitlements: symbol patterns the holder may subscribe to (docs/protocol.md, patterns).</param>
/// <param name="ExpiresAt">When the token stops being valid; null for anonymous sessions, which do not expire.</param>
public sealed record AccessGrant(string Subject, TokenRole Role, IReadOnlyList<string> SymbolPatterns, DateTimeOffset? ExpiresAt)
{
    /// <summary>The grant of an anonymous session in the embedded default.</summary>
    public static AccessGrant Anonymous(IReadOnlyList<string> patterns) => new("anonymous", TokenRole.Subscriber, patterns, null);

    /// <summary>True when the role includes pushing ticks.</summary>
    public bool MayPublish => Role is TokenRole.Publisher or TokenRole.Admin;
}
