using MarketStream.Server.Gateway;

namespace MarketStream.Server.Tests.Gateway;

public sealed class OriginPolicyTests
{
    private const string Self = "http://127.0.0.1:5080";
    private readonly OriginPolicy _policy = new(["https://trader.example.com", "http://localhost:3000"]);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("https://trader.example.com")]
    [InlineData("HTTPS://Trader.Example.com:443")]
    [InlineData("http://localhost:3000")]
    public void IsAllowed_AllowedOrSelfOrAbsent_True(string? origin)
    {
        Assert.True(_policy.IsAllowed(origin, Self));
    }

    [Theory]
    [InlineData("https://evil.example.com")]
    [InlineData("https://trader.example.com.evil.com")]
    [InlineData("https://evil-trader.example.com")]
    [InlineData("http://trader.example.com")]
    [InlineData("https://trader.example.com:8443")]
    [InlineData("http://localhost:3001")]
    [InlineData("null")]
    [InlineData("file://")]
    [InlineData("not an origin")]
    public void IsAllowed_OtherOrigins_False(string origin)
    {
        Assert.False(_policy.IsAllowed(origin, Self));
    }

    [Theory]
    [InlineData("https://a.example.com/path")]
    [InlineData("https://user@a.example.com")]
    [InlineData("ftp://a.example.com")]
    [InlineData("a.example.com")]
    public void Normalize_NotAnOrigin_Null(string value)
    {
        Assert.Null(OriginPolicy.Normalize(value));
    }
}
