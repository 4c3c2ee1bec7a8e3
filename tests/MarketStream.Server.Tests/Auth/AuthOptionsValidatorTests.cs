using MarketStream.Server.Auth;

namespace MarketStream.Server.Tests.Auth;

public sealed class AuthOptionsValidatorTests
{
    private static readonly string GoodKey = Convert.ToBase64String(new byte[32]);

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new AuthOptionsValidator().Validate(null, new AuthOptions()).Succeeded);
    }

    [Fact]
    public void Validate_RequiredModeWithKeyAndNoDevEndpoint_Succeeds()
    {
        var options = new AuthOptions { Mode = AuthMode.Required, SigningKey = GoodKey, DevTokenEndpoint = false };

        Assert.True(new AuthOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_ShortKey_FailsNamingTheSetting()
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions { SigningKey = Convert.ToBase64String(new byte[16]) });

        Assert.True(result.Failed);
        Assert.Contains("SigningKey decodes to 16 bytes", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NotBase64Key_Fails()
    {
        Assert.True(new AuthOptionsValidator().Validate(null, new AuthOptions { SigningKey = "%%%not base64%%%" }).Failed);
    }

    [Fact]
    public void Validate_RequiredModeWithoutKey_Fails()
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions { Mode = AuthMode.Required, DevTokenEndpoint = false });

        Assert.True(result.Failed);
        Assert.Contains("SigningKey is required", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RequiredModeWithKeyAlone_SucceedsWithDevEndpointOff()
    {
        var options = new AuthOptions { Mode = AuthMode.Required, SigningKey = GoodKey };

        Assert.True(new AuthOptionsValidator().Validate(null, options).Succeeded);
        Assert.False(options.DevTokenEndpointEnabled);
        Assert.True(new AuthOptions().DevTokenEndpointEnabled);
    }

    [Fact]
    public void Validate_RequiredModeWithDevEndpointTurnedOn_Fails()
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions { Mode = AuthMode.Required, SigningKey = GoodKey, DevTokenEndpoint = true });

        Assert.True(result.Failed);
        Assert.Contains("DevTokenEndpoint", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AuthenticateTimeoutOutOfRange_Fails()
    {
        Assert.True(new AuthOptionsValidator().Validate(null, new AuthOptions { AuthenticateTimeout = TimeSpan.FromMinutes(5) }).Failed);
        Assert.True(new AuthOptionsValidator().Validate(null, new AuthOptions { AuthenticateTimeout = TimeSpan.Zero }).Failed);
    }
}
