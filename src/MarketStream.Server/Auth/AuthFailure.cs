namespace MarketStream.Server.Auth;

/// <summary>Why a token was refused. Mapped to the stable auth error codes of docs/protocol.md.</summary>
public enum AuthFailure
{
    /// <summary>Not refused.</summary>
    None = 0,

    /// <summary>No token where one is required.</summary>
    Missing,

    /// <summary>Not a well-formed JWT, or an unsupported algorithm.</summary>
    Malformed,

    /// <summary>Signature, issuer or audience does not check out.</summary>
    Invalid,

    /// <summary>The token's <c>exp</c> has passed.</summary>
    Expired,

    /// <summary>The token is valid but its role does not allow the action.</summary>
    WrongRole,
}
