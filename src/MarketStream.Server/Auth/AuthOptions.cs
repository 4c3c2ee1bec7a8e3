namespace MarketStream.Server.Auth;

/// <summary>
/// Authentication settings, bound from the <c>MarketStream:Auth</c> configuration section and
/// validated at start-up by <see cref="AuthOptionsValidator"/>.
/// </summary>
public sealed class AuthOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "MarketStream:Auth";

    /// <summary>Smallest HMAC key accepted: HS256 wants at least the hash size (RFC 7518 §3.2).</summary>
    public const int MinSigningKeyBytes = 32;

    /// <summary>Whether tokens are required. Defaults to <see cref="AuthMode.Anonymous"/>.</summary>
    public AuthMode Mode { get; set; } = AuthMode.Anonymous;

    /// <summary>
    /// Base64 HMAC-SHA256 key that signs and checks tokens; at least 32 bytes once decoded.
    /// Defaults to empty, which in <see cref="AuthMode.Anonymous"/> mode means a random key per
    /// process (development tokens then last as long as the process). Required in
    /// <see cref="AuthMode.Required"/> mode.
    /// </summary>
    public string SigningKey { get; set; } = "";

    /// <summary>Token issuer (<c>iss</c>) written and required. Defaults to <c>marketstream</c>.</summary>
    public string Issuer { get; set; } = "marketstream";

    /// <summary>Token audience (<c>aud</c>) written and required. Defaults to <c>marketstream</c>.</summary>
    public string Audience { get; set; } = "marketstream";

    /// <summary>
    /// Symbol patterns an anonymous session may see. Defaults to empty, which means <c>*</c>
    /// (everything). Empty by default, not <c>["*"]</c>, because configuration binding appends to a
    /// list's defaults: an operator's <c>AnonymousPatterns:0=EUR*</c> must narrow access, not widen it.
    /// </summary>
    public IList<string> AnonymousPatterns { get; } = new List<string>();

    /// <summary>The anonymous entitlements in force: <see cref="AnonymousPatterns"/>, or <c>*</c> when none are set.</summary>
    public IReadOnlyList<string> EffectiveAnonymousPatterns => AnonymousPatterns.Count == 0 ? ["*"] : [.. AnonymousPatterns];

    /// <summary>
    /// How long a connection without a token may stay open before it must send an
    /// <c>authenticate</c> message (Required mode). Defaults to 5 s; 0.1–60 s.
    /// </summary>
    public TimeSpan AuthenticateTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Serve <c>POST /api/dev/token</c>, which mints tokens for anyone who can reach it. Defaults to
    /// unset, which means on in <see cref="AuthMode.Anonymous"/> mode and off in
    /// <see cref="AuthMode.Required"/> mode; setting it to true in Required mode is refused at
    /// start-up. Never enable it where the network is not trusted.
    /// </summary>
    public bool? DevTokenEndpoint { get; set; }

    /// <summary>Whether <c>POST /api/dev/token</c> is served: <see cref="DevTokenEndpoint"/>, or its default for <see cref="Mode"/>.</summary>
    public bool DevTokenEndpointEnabled => DevTokenEndpoint ?? Mode == AuthMode.Anonymous;

    /// <summary>Lifetime of development tokens. Defaults to 1 h; 1 s – 7 days.</summary>
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Allowed clock skew when checking <c>exp</c>/<c>nbf</c>. Defaults to 5 s; 0–5 min.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(5);
}
