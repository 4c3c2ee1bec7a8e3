namespace MarketStream.Server.Auth;

/// <summary>How the gateway authenticates connections.</summary>
public enum AuthMode
{
    /// <summary>
    /// Tokens are optional: a connection without one gets the anonymous entitlements, a connection
    /// with one is held to it. The embedded default.
    /// </summary>
    Anonymous = 0,

    /// <summary>Every connection must present a valid token.</summary>
    Required = 1,
}
