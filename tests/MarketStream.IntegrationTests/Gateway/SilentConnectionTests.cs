using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MarketStream.IntegrationTests.Infrastructure;

namespace MarketStream.IntegrationTests.Gateway;

/// <summary>
/// docs/operations.md, Limits: a TCP connection that sends nothing is closed after
/// <c>Kestrel:Limits:KeepAliveTimeout</c> (plus up to 2 s: Kestrel checks once a second, with a
/// second's grace), on the direct-upgrade path exactly as through Kestrel's HTTP pipeline — not after
/// the direct upgrade's head deadline plus Kestrel's own wait.
/// </summary>
public sealed class SilentConnectionTests
{
    /// <summary>The documented 2 s, plus half a second for connecting and scheduling on a shared machine.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2.5);

    /// <summary>Idle 2 s, headers 5 s: a silent connection must go at the idle timeout, well before the two added up (7–9 s).</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SilentConnection_ClosedAtKeepAliveTimeout_OnBothUpgradePaths(bool directUpgrade)
    {
        var idle = TimeSpan.FromSeconds(2);
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Gateway:DirectUpgrade"] = directUpgrade ? "true" : "false",
            ["Kestrel:Limits:KeepAliveTimeout"] = idle.ToString("c", CultureInfo.InvariantCulture),
            ["Kestrel:Limits:RequestHeadersTimeout"] = "00:00:05",
        });

        var held = await HoldSilentAsync(server.BaseAddress.Port, limit: TimeSpan.FromSeconds(15));

        Assert.InRange(held, idle * 0.9, idle + Slack);
    }

    /// <summary>At the defaults (10 s idle, 10 s headers; docs/operations.md), both paths at once.</summary>
    [Fact]
    public async Task SilentConnection_Defaults_ClosedWithinTenSecondsPlusSlack_OnBothUpgradePaths()
    {
        await using var direct = await GatewayServer.StartAsync();
        await using var http = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["MarketStream:Gateway:DirectUpgrade"] = "false" });

        var held = await Task.WhenAll(
            HoldSilentAsync(direct.BaseAddress.Port, limit: TimeSpan.FromSeconds(30)),
            HoldSilentAsync(http.BaseAddress.Port, limit: TimeSpan.FromSeconds(30)));

        Assert.All(held, h => Assert.InRange(h, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(10) + Slack));
    }

    /// <summary>Connects, sends nothing, and returns how long the server kept the connection (until FIN or reset).</summary>
    private static async Task<TimeSpan> HoldSilentAsync(int port, TimeSpan limit)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), TestContext.Current.CancellationToken);
        var held = Stopwatch.StartNew();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(limit);
        var buffer = new byte[512];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // Reset by the server: closed too.
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"a silent connection was still open after {limit}");
        }

        return held.Elapsed;
    }
}
