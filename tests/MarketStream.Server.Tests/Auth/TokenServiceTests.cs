using System.Security.Cryptography;
using System.Text;
using MarketStream.Server.Auth;
using Microsoft.Extensions.Options;

namespace MarketStream.Server.Tests.Auth;

public sealed class TokenServiceTests
{
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static TokenService Create(string? key = null, string audience = "marketstream") =>
        new(Options.Create(new AuthOptions { SigningKey = key ?? Key, Audience = audience, ClockSkew = TimeSpan.Zero }));

    [Fact]
    public async Task Validate_IssuedToken_ReturnsGrantWithRolePatternsAndExpiry()
    {
        var service = Create();
        var before = DateTimeOffset.UtcNow;
        var token = service.Issue("alice", TokenRole.Publisher, ["EUR*", "AAPL"], TimeSpan.FromMinutes(10));

        var (grant, failure) = await service.ValidateAsync(token);

        Assert.Equal(AuthFailure.None, failure);
        Assert.NotNull(grant);
        Assert.Equal("alice", grant.Subject);
        Assert.Equal(TokenRole.Publisher, grant.Role);
        Assert.True(grant.MayPublish);
        Assert.Equal(["EUR*", "AAPL"], grant.SymbolPatterns);
        Assert.InRange(grant.ExpiresAt!.Value, before.AddMinutes(10).AddSeconds(-2), before.AddMinutes(10).AddSeconds(2));
    }

    [Fact]
    public async Task Validate_ExpiredToken_ReturnsExpired()
    {
        var service = Create();
        var token = service.Issue("bob", TokenRole.Subscriber, ["*"], TimeSpan.FromMinutes(1), new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1)));

        var (grant, failure) = await service.ValidateAsync(token);

        Assert.Null(grant);
        Assert.Equal(AuthFailure.Expired, failure);
    }

    [Fact]
    public async Task Validate_TokenSignedWithOtherKey_ReturnsInvalid()
    {
        var forger = Create(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var token = forger.Issue("mallory", TokenRole.Admin, ["*"], TimeSpan.FromMinutes(5));

        var (grant, failure) = await Create().ValidateAsync(token);

        Assert.Null(grant);
        Assert.Equal(AuthFailure.Invalid, failure);
    }

    [Fact]
    public async Task Validate_TamperedPayload_ReturnsInvalid()
    {
        var service = Create();
        var parts = service.Issue("carol", TokenRole.Subscriber, ["AAPL"], TimeSpan.FromMinutes(5)).Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlDecode(parts[1])).Replace("\"AAPL\"", "\"*\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        var (grant, failure) = await service.ValidateAsync(tampered);

        Assert.Null(grant);
        Assert.Equal(AuthFailure.Invalid, failure);
    }

    [Fact]
    public async Task Validate_AlgNoneToken_IsRefused()
    {
        var header = Base64UrlEncode("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8.ToArray());
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var body = Base64UrlEncode(Encoding.UTF8.GetBytes($"{{\"sub\":\"eve\",\"ms_role\":\"admin\",\"ms_sym\":[\"*\"],\"iss\":\"marketstream\",\"aud\":\"marketstream\",\"exp\":{exp}}}"));

        var (grant, failure) = await Create().ValidateAsync($"{header}.{body}.");

        Assert.Null(grant);
        Assert.NotEqual(AuthFailure.None, failure);
    }

    [Fact]
    public async Task Validate_WrongAudience_ReturnsInvalid()
    {
        var token = Create(audience: "someone-else").Issue("dave", TokenRole.Subscriber, ["*"], TimeSpan.FromMinutes(5));

        var (_, failure) = await Create().ValidateAsync(token);

        Assert.Equal(AuthFailure.Invalid, failure);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    [InlineData("....")]
    public async Task Validate_Garbage_ReturnsMalformedOrInvalid(string token)
    {
        var (grant, failure) = await Create().ValidateAsync(token);

        Assert.Null(grant);
        Assert.Contains(failure, new[] { AuthFailure.Malformed, AuthFailure.Invalid });
    }

    [Fact]
    public async Task Validate_OverlongToken_ReturnsMalformed()
    {
        var (_, failure) = await Create().ValidateAsync(new string('a', TokenService.MaxTokenLength + 1));

        Assert.Equal(AuthFailure.Malformed, failure);
    }

    [Fact]
    public async Task Validate_NoToken_ReturnsMissing()
    {
        Assert.Equal(AuthFailure.Missing, (await Create().ValidateAsync(null)).Failure);
        Assert.Equal(AuthFailure.Missing, (await Create().ValidateAsync("")).Failure);
    }

    [Fact]
    public async Task Validate_RandomKeyPerProcess_TokensOfOneInstanceFailOnAnother()
    {
        var a = new TokenService(Options.Create(new AuthOptions()));
        var b = new TokenService(Options.Create(new AuthOptions()));
        var token = a.Issue("x", TokenRole.Subscriber, ["*"], TimeSpan.FromMinutes(1));

        Assert.Equal(AuthFailure.None, (await a.ValidateAsync(token)).Failure);
        Assert.Equal(AuthFailure.Invalid, (await b.ValidateAsync(token)).Failure);
    }

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
