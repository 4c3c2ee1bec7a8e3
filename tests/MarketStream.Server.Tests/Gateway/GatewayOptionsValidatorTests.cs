using MarketStream.Server.Gateway;

namespace MarketStream.Server.Tests.Gateway;

public sealed class GatewayOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var result = new GatewayOptionsValidator().Validate(null, new GatewayOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_PerAddressAboveTotal_FailsNamingBoth()
    {
        var result = new GatewayOptionsValidator().Validate(null, new GatewayOptions { MaxConnections = 10, MaxConnectionsPerAddress = 20 });

        Assert.True(result.Failed);
        Assert.Contains("MaxConnectionsPerAddress is 20", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CloseLagNotAboveWarnLag_Fails()
    {
        var options = new GatewayOptions { SlowConsumerWarnLag = TimeSpan.FromSeconds(5), SlowConsumerCloseLag = TimeSpan.FromSeconds(5) };

        Assert.Contains("SlowConsumerCloseLag", new GatewayOptionsValidator().Validate(null, options).FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadOrigin_Fails()
    {
        var options = new GatewayOptions();
        options.AllowedOrigins.Add("https://ok.example.com");
        options.AllowedOrigins.Add("https://bad.example.com/path");

        var result = new GatewayOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("https://bad.example.com/path", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TinyInboundLimit_Fails()
    {
        Assert.True(new GatewayOptionsValidator().Validate(null, new GatewayOptions { MaxInboundMessageBytes = 10 }).Failed);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1024, true)]
    [InlineData(16 * 1024 * 1024, true)]
    [InlineData(512, false)]
    [InlineData(16 * 1024 * 1024 + 1, false)]
    [InlineData(-1, false)]
    public void Validate_SocketNotSentLowWater_ZeroOrInRange(int bytes, bool valid)
    {
        var result = new GatewayOptionsValidator().Validate(null, new GatewayOptions { SocketNotSentLowWaterBytes = bytes });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("SocketNotSentLowWaterBytes", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(4096, true)]
    [InlineData(4095, false)]
    [InlineData(64 * 1024 * 1024 + 1, false)]
    public void Validate_SocketSendBuffer_ZeroOrInRange(int bytes, bool valid)
    {
        Assert.Equal(valid, new GatewayOptionsValidator().Validate(null, new GatewayOptions { SocketSendBufferBytes = bytes }).Succeeded);
    }
}
