namespace MarketStream.Server.Gateway;

/// <summary>
/// Cross-site WebSocket hijacking defence (OWASP WebSocket cheat sheet): a browser always sends
/// <c>Origin</c> on a WebSocket handshake, so a request whose Origin is neither the server's own
/// nor on the allowlist is refused with 403 before the upgrade. Non-browser clients send no
/// Origin and are let through (they are held to authentication instead). Comparison is exact
/// after normalising case and default ports, never a prefix or suffix match.
/// </summary>
internal sealed class OriginPolicy
{
    private readonly HashSet<string> _allowed;

    public OriginPolicy(IEnumerable<string> allowedOrigins)
    {
        _allowed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var origin in allowedOrigins)
        {
            if (Normalize(origin) is { } normalized)
            {
                _allowed.Add(normalized);
            }
        }
    }

    /// <summary>Decides for one handshake. <paramref name="selfOrigin"/> is scheme://host of the request itself.</summary>
    public bool IsAllowed(string? origin, string selfOrigin)
    {
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        var normalized = Normalize(origin);
        return normalized is not null && (normalized == Normalize(selfOrigin) || _allowed.Contains(normalized));
    }

    /// <summary>Lower-cases scheme and host and drops the scheme's default port; null if not an origin.</summary>
    internal static string? Normalize(string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return null;
        }

        return uri.IsDefaultPort ? $"{uri.Scheme}://{uri.IdnHost}" : $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";
    }
}
