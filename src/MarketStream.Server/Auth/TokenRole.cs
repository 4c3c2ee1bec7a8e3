namespace MarketStream.Server.Auth;

/// <summary>What a token lets its holder do. Carried in the <c>ms_role</c> claim.</summary>
public enum TokenRole
{
    /// <summary>Subscribe to the symbols the token's patterns allow.</summary>
    Subscriber = 0,

    /// <summary>Push ticks through the ingest endpoint (and subscribe).</summary>
    Publisher = 1,

    /// <summary>Everything, including the admin session view.</summary>
    Admin = 2,
}
