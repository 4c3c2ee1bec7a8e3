using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MarketStream.Server.Auth;

/// <summary>
/// Issues and checks HS256 JWTs carrying a role (<c>ms_role</c>) and symbol entitlements
/// (<c>ms_sym</c>, an array of patterns). Validation pins the algorithm, issuer, audience and
/// lifetime, so a token signed with "none" or another algorithm is refused (RFC 8725 §3.1).
/// </summary>
public sealed class TokenService
{
    /// <summary>Claim holding the role name.</summary>
    public const string RoleClaim = "ms_role";

    /// <summary>Claim holding the entitled symbol patterns (a JSON array of strings).</summary>
    public const string SymbolsClaim = "ms_sym";

    /// <summary>Longest token accepted anywhere (query string, subprotocol, authenticate message).</summary>
    public const int MaxTokenLength = 4096;

    private readonly AuthOptions _options;
    private readonly SymmetricSecurityKey _key;
    private readonly SigningCredentials _credentials;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TokenValidationParameters _validation;

    public TokenService(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        // Anonymous mode without a configured key: a random per-process key, so development
        // tokens work and nothing predictable can be forged.
        var keyBytes = _options.SigningKey.Length > 0
            ? AuthOptionsValidator.TryDecodeKey(_options.SigningKey) ?? throw new InvalidOperationException("SigningKey is not base64.")
            : RandomNumberGenerator.GetBytes(AuthOptions.MinSigningKeyBytes);
        _key = new SymmetricSecurityKey(keyBytes);
        _credentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256);
        _validation = new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.Audience,
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateLifetime = true,
            ClockSkew = _options.ClockSkew,
        };
    }

    /// <summary>Mints a token for <paramref name="subject"/> valid for <paramref name="lifetime"/>.</summary>
    public string Issue(string subject, TokenRole role, IReadOnlyList<string> symbolPatterns, TimeSpan lifetime, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(symbolPatterns);
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = _credentials,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = subject,
                [RoleClaim] = role.ToString().ToLowerInvariant(),
                [SymbolsClaim] = symbolPatterns.ToArray(),
            },
        };
        return _handler.CreateToken(descriptor);
    }

    /// <summary>
    /// Checks a token. Returns the grant, or null with the reason why not.
    /// Never throws on hostile input.
    /// </summary>
    public async ValueTask<(AccessGrant? Grant, AuthFailure Failure)> ValidateAsync(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (null, AuthFailure.Missing);
        }

        if (token.Length > MaxTokenLength || !_handler.CanReadToken(token))
        {
            return (null, AuthFailure.Malformed);
        }

        var result = await _handler.ValidateTokenAsync(token, _validation).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return (null, result.Exception switch
            {
                SecurityTokenExpiredException => AuthFailure.Expired,
                SecurityTokenMalformedException or SecurityTokenInvalidAlgorithmException => AuthFailure.Malformed,
                _ => AuthFailure.Invalid,
            });
        }

        var identity = result.ClaimsIdentity;
        var subject = identity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value ?? identity.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var roleText = identity.FindFirst(RoleClaim)?.Value;
        if (string.IsNullOrEmpty(subject) || !Enum.TryParse<TokenRole>(roleText, ignoreCase: true, out var role) || !Enum.IsDefined(role))
        {
            return (null, AuthFailure.Invalid);
        }

        var patterns = new List<string>();
        foreach (var claim in identity.FindAll(SymbolsClaim))
        {
            patterns.Add(claim.Value);
        }

        var expires = result.SecurityToken is JsonWebToken jwt ? new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero) : (DateTimeOffset?)null;
        return (new AccessGrant(subject, role, patterns, expires), AuthFailure.None);
    }
}
