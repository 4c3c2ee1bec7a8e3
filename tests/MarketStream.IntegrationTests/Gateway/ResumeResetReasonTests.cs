using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;

namespace MarketStream.IntegrationTests.Gateway;

/// <summary>
/// docs/protocol.md §2.4, §4.14: a resume the server cannot serve gets a Reset answering the
/// Subscribe (its request id) with the documented reason — 2 for a position from a previous
/// process's epoch, 3 for a position beyond the stream, 1 for one older than the history — on real
/// server processes, the second started after the first was killed.
/// </summary>
public sealed class ResumeResetReasonTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["MarketStream:Feeds:Synthetic:Enabled"] = "true",
        ["MarketStream:Feeds:Synthetic:Rate"] = "2000",
        ["MarketStream:Engine:HistoryDepth"] = "16",
    };

    [Fact]
    public async Task Resume_PreviousProcessEpoch_Beyond_TooOld_ResetWithReasons2_3_1()
    {
        ResumePosition held;
        await using (var first = await ServerProcess.StartAsync("first", Settings))
        {
            await using var client = await ProtocolClient.ConnectAsync(first.WebSocketUri);
            await client.ExpectAsync<WelcomeMessage>();
            var (id, _) = await SubscribeAsync(client, []);
            var snapshot = await client.ExpectAsync<SnapshotMessage>();
            Assert.Equal(id, snapshot.RequestId);
            var update = (await client.NextAsync(static m => m.Type == MessageType.Update)).Update;
            held = new ResumePosition("AAPL", update.Epoch, update.Seq);
            first.Kill();
        }

        await using var second = await ServerProcess.StartAsync("second", Settings);

        // 2: the position is from the killed process's epoch.
        var epochChanged = await ResumeAsync(second, held);
        Assert.Equal(ResetReason.EpochChanged, epochChanged.Reason);
        Assert.NotEqual(held.Epoch, epochChanged.State.Epoch);
        var epoch = epochChanged.State.Epoch;

        // 3: this epoch, but a seq it has not issued.
        var beyond = await ResumeAsync(second, held with { Epoch = epoch, Seq = epochChanged.State.Seq + 1_000_000 });
        Assert.Equal((ResetReason.UnknownPosition, epoch), (beyond.Reason, beyond.State.Epoch));

        // 1: this epoch, but older than the 16 updates of history kept.
        var current = epochChanged.State.Seq;
        while (current < 40)
        {
            await using var watcher = await ProtocolClient.ConnectAsync(second.WebSocketUri);
            await watcher.ExpectAsync<WelcomeMessage>();
            await SubscribeAsync(watcher, []);
            current = (await watcher.ExpectAsync<SnapshotMessage>()).State.Seq;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        var tooOld = await ResumeAsync(second, held with { Epoch = epoch, Seq = 1 });
        Assert.Equal((ResetReason.HistoryUnavailable, epoch), (tooOld.Reason, tooOld.State.Epoch));
        Assert.True(tooOld.State.Seq >= 40, $"reset at {tooOld.State.Seq}");
    }

    /// <summary>A new connection resumes AAPL from <paramref name="from"/>: its first message for AAPL must be a Reset answering the Subscribe.</summary>
    private static async Task<ResetMessage> ResumeAsync(ServerProcess server, ResumePosition from)
    {
        await using var client = await ProtocolClient.ConnectAsync(server.WebSocketUri);
        await client.ExpectAsync<WelcomeMessage>();
        var (id, _) = await SubscribeAsync(client, [from]);
        var first = await client.NextAsync(static m => m.Type is MessageType.Reset or MessageType.Snapshot or MessageType.Update or MessageType.Merged);
        var reset = Assert.IsType<ResetMessage>(first.Body);
        Assert.Equal(id, reset.RequestId);
        return reset;
    }

    private static async Task<(long Id, SubscribeAckMessage Ack)> SubscribeAsync(ProtocolClient client, IReadOnlyList<ResumePosition> resume)
    {
        var id = client.NextRequestId();
        return (id, await GatewayTestKit.SubscribeAsync(client, new SubscribeRequest(id, ["AAPL"], SubscriptionMode.Full, 0, 0, resume)));
    }
}
