using System.Buffers;
using System.Diagnostics;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;
using MarketStream.Server.Gateway;
using Microsoft.Extensions.DependencyInjection;

namespace MarketStream.IntegrationTests.Gateway;

/// <summary>
/// The nastiest reader (docs/operations.md, Tuning for slow consumers): a bare TCP client with a 4 KiB
/// receive buffer that subscribes to every symbol at 2,000 ticks/s and never reads a byte again, so the
/// server's socket really fills. The deadlines must still hold on both upgrade paths, the end code must be
/// recorded, and what the kernel holds for the connection must stay bounded by
/// <see cref="GatewayOptions.SocketNotSentLowWaterBytes"/> (the server's defaults, no test-only buffers).
/// </summary>
public sealed class StalledSocketTests
{
    private const int ClientReceiveBuffer = 4096;

    /// <summary>
    /// Most the server's kernel may hold unsent or unacknowledged for a stalled client at the default 16 KiB
    /// low-water mark: the mark, plus one segment the kernel may take past it, with room to spare. Without the
    /// mark it reaches megabytes (net.ipv4.tcp_wmem's maximum).
    /// </summary>
    private const long KernelQueueBound = 64 * 1024;

    private static readonly TimeSpan CloseLag = TimeSpan.FromSeconds(1);

    /// <summary>The target's slack past a deadline, plus the time the buffers take to fill at 2,000 ticks/s.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(true, SubscriptionMode.Conflated)]
    [InlineData(true, SubscriptionMode.Full)]
    [InlineData(false, SubscriptionMode.Conflated)]
    [InlineData(false, SubscriptionMode.Full)]
    public async Task NeverReadingClient_SocketFull_DroppedWithin_CloseLag_As4000_KernelQueueBounded(bool directUpgrade, SubscriptionMode mode)
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Gateway:DirectUpgrade"] = directUpgrade ? "true" : "false",
            ["MarketStream:Gateway:SlowConsumerWarnLag"] = "00:00:00.300",
            ["MarketStream:Gateway:SlowConsumerCloseLag"] = CloseLag.ToString("c"),
        });
        using var meters = new GatewayMeterReader(server);

        var (elapsed, maxSendQueue) = await StallUntilDroppedAsync(server, mode, CloseLag + Slack + TimeSpan.FromSeconds(5));

        Assert.InRange(elapsed, CloseLag, CloseLag + Slack);
        Assert.InRange(maxSendQueue, 1, KernelQueueBound);
        Assert.Equal(1, meters.SlowConsumerCloses());
        Assert.Equal(1, meters.Closed((int)CloseCode.SlowConsumer));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SilentClient_SocketFull_DroppedWithin_KeepAliveDeadline_As4006(bool directUpgrade)
    {
        // Slow-consumer deadlines far away: only the keep-alive rule (nothing received, not even a pong,
        // for KeepAliveInterval + KeepAliveTimeout = 3 s) can end this session.
        var idleLimit = TimeSpan.FromSeconds(3);
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Gateway:DirectUpgrade"] = directUpgrade ? "true" : "false",
            ["MarketStream:Gateway:KeepAliveInterval"] = "00:00:01",
            ["MarketStream:Gateway:KeepAliveTimeout"] = "00:00:02",
            ["MarketStream:Gateway:SlowConsumerWarnLag"] = "00:04:00",
            ["MarketStream:Gateway:SlowConsumerCloseLag"] = "00:05:00",
        });
        using var meters = new GatewayMeterReader(server);

        var (elapsed, maxSendQueue) = await StallUntilDroppedAsync(server, SubscriptionMode.Full, idleLimit + Slack + TimeSpan.FromSeconds(5));

        Assert.InRange(elapsed, idleLimit - TimeSpan.FromMilliseconds(100), idleLimit + TimeSpan.FromSeconds(2));
        Assert.InRange(maxSendQueue, 1, KernelQueueBound);
        Assert.Equal(1, meters.Closed((int)CloseCode.IdleTimeout));
        Assert.Equal(0, meters.SlowConsumerCloses());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ClientResumingAfterStall_GetsBoundedOldBytes_ThenNotice3_ThenMergedCurrentValues(bool directUpgrade)
    {
        // docs/protocol.md §4.16: a client that reads again after its socket was full first gets what was already
        // on its way (bounded: kernel low-water mark, Kestrel's buffer, one frame), then Notice 3, then the merges.
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["MarketStream:Gateway:DirectUpgrade"] = directUpgrade ? "true" : "false",
            ["MarketStream:Gateway:MaxFrameBytes"] = "16384",
            ["MarketStream:Gateway:SlowConsumerWarnLag"] = "00:00:00.300",
            ["MarketStream:Gateway:SlowConsumerCloseLag"] = "00:00:10",
        });
        using var client = await RawWebSocket.ConnectAsync(server.BaseAddress, receiveBufferBytes: ClientReceiveBuffer);
        var request = new ArrayBufferWriter<byte>();
        ClientMessageWriter.Write(request, new SubscribeRequest(1, ["*"], SubscriptionMode.Conflated, 0, 0, []));
        await client.SendAsync(RawWebSocket.MaskedBinaryFrame(request.WrittenSpan));
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken); // not reading: the socket fills

        long bytesBeforeNotice = 0;
        NoticeMessage? notice = null;
        var mergedAfterNotice = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (mergedAfterNotice == 0)
        {
            var (opcode, payload) = await client.ReadFrameAsync(timeout.Token);
            Assert.Equal(0x2, opcode);
            var reader = new ServerFrameReader(payload);
            while (reader.Read(out var message, out var error) is var status && status != ReadStatus.EndOfFrame)
            {
                Assert.NotEqual(ReadStatus.Error, status);
                if (notice is null && message.Body is NoticeMessage { Code: NoticeCode.SlowConsumer } n)
                {
                    notice = n;
                }
                else if (notice is not null && message.Type == MessageType.Merged)
                {
                    mergedAfterNotice++;
                }
            }

            if (notice is null)
            {
                bytesBeforeNotice += payload.Length;
            }
        }

        // Old bytes: 16 KiB low-water mark (+ a segment), the client's 4 KiB window, Kestrel's buffer (64 KiB
        // transport / 16 KiB response buffer), one 16 KiB frame. Without the mark: megabytes at this rate.
        Assert.InRange(bytesBeforeNotice, 0, 160 * 1024);
        Assert.InRange(notice!.Value, 1, 10_000);
    }

    /// <summary>
    /// Connects a never-reading client, subscribes it to <c>*</c>, and polls until the server has ended the
    /// session and dropped the socket. Returns the time from the Subscribe (the client's last byte) to then,
    /// and the largest send queue the server's kernel held for the connection meanwhile.
    /// </summary>
    private static async Task<(TimeSpan Elapsed, long MaxSendQueue)> StallUntilDroppedAsync(RunningServer server, SubscriptionMode mode, TimeSpan timeout)
    {
        var registry = server.Services.GetRequiredService<SessionRegistry>();
        using var client = await RawWebSocket.ConnectAsync(server.BaseAddress, receiveBufferBytes: ClientReceiveBuffer);
        var request = new ArrayBufferWriter<byte>();
        ClientMessageWriter.Write(request, new SubscribeRequest(1, ["*"], mode, 0, 0, []));
        await client.SendAsync(RawWebSocket.MaskedBinaryFrame(request.WrittenSpan));
        var started = Stopwatch.GetTimestamp();

        long maxSendQueue = 0;
        while (true)
        {
            var queue = KernelSocketQueue.Read(server.BaseAddress.Port, client.LocalPort);
            if (queue is { } q)
            {
                maxSendQueue = Math.Max(maxSendQueue, q.SendQueueBytes);
            }
            else if (registry.Count == 0)
            {
                return (Stopwatch.GetElapsedTime(started), maxSendQueue);
            }

            Assert.True(Stopwatch.GetElapsedTime(started) < timeout, $"the stalled session was still open after {timeout} (send queue {queue?.SendQueueBytes} B)");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
