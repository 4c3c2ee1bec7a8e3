using System.Net;
using MarketStream.IntegrationTests.Infrastructure;

namespace MarketStream.IntegrationTests.Gateway;

/// <summary>
/// docs/operations.md, Auth: <c>Auth:Mode=Required</c> with a signing key is all a real server
/// process needs to start (the development token endpoint is then off by default); turning that
/// endpoint on in Required mode stops start-up with one line naming the setting, not a stack trace.
/// </summary>
public sealed class RequiredAuthStartupTests
{
    [Fact]
    public async Task RequiredModeWithSigningKey_Starts_DevTokenEndpointOff_TokensRequired()
    {
        await using var server = await ServerProcess.StartAsync("required", new Dictionary<string, string?>
        {
            ["MarketStream:Auth:Mode"] = "Required",
            ["MarketStream:Auth:SigningKey"] = GatewayTestKit.SigningKey,
        });

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var body = new StringContent("""{"subject":"mallory"}""", System.Text.Encoding.UTF8, "application/json");
        var minted = await http.PostAsync(new Uri("/api/dev/token", UriKind.Relative), body, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, minted.StatusCode);

        // Served, and a subscriber without a token is held to the Required rule (§1.3: refused before Authenticate).
        await using var client = await ProtocolClient.ConnectAsync(server.WebSocketUri);
        Assert.IsType<MarketStream.Protocol.WelcomeMessage>((await client.NextAsync()).Body);
        await client.SendAsync(GatewayTestKit.Subscribe(1, "AAPL"));
        var error = await client.ExpectAsync<MarketStream.Protocol.ErrorMessage>();
        Assert.Equal(MarketStream.Protocol.ErrorCode.AuthenticationRequired, error.Code);
    }

    [Fact]
    public async Task RequiredModeWithDevTokenEndpointOn_StopsWithOneLineNamingTheSetting()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync("required-dev", new Dictionary<string, string?>
        {
            ["MarketStream:Auth:Mode"] = "Required",
            ["MarketStream:Auth:SigningKey"] = GatewayTestKit.SigningKey,
            ["MarketStream:Auth:DevTokenEndpoint"] = "true",
        }));

        Assert.Contains("exited with 1", failure.Message, StringComparison.Ordinal);
        var lines = failure.Message.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Single(lines, l => l.Contains("MarketStream:Auth:DevTokenEndpoint", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain("OptionsValidationException", failure.Message, StringComparison.Ordinal);
    }
}
