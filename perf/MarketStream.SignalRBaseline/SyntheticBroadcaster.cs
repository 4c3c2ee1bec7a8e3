using System.Diagnostics;
using MarketStream.Feeds.Configuration;
using MarketStream.Feeds.Hosting;
using MarketStream.Feeds.Synthetic;
using MarketStream.Model;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace MarketStream.SignalRBaseline;

/// <summary>
/// MarketStream's synthetic feed model (same universe, seed, rate and pacing as its SyntheticFeed)
/// pushing every tick to its symbol's group, awaiting each send as SignalR's own samples do. The
/// payload is <c>[symbolId, seq, kind, a, b, c, d, exchangeTimeNs, receiveTimeNs, serverTimeNs]</c>
/// as MessagePack integers: the fields and timestamps of a MarketStream Update (docs/protocol.md §4.6),
/// so both clients decode the same information. SignalR serializes a group message once per protocol.
/// </summary>
internal sealed class SyntheticBroadcaster(IHubContext<TickHub> hub, SymbolGroups groups, IOptions<BaselineOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var o = options.Value;
        if (o.StartDelaySeconds > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(o.StartDelaySeconds), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        var model = new SyntheticModel(groups.Universe, new SyntheticFeedOptions { Rate = o.Rate }, (ulong)(uint)o.Seed) { TimeNs = TickPublisher.NowNs() };
        var seqs = new long[groups.Universe.Count];
        var names = groups.Names;
        var tick = default(Tick);
        var ticksPerTimestamp = o.Rate / Stopwatch.Frequency;

        // The synthetic feed's opening quotes (one per symbol) go out unpaced, as MarketStream's do.
        var opened = TickPublisher.NowNs();
        while (model.OpeningQuotesLeft > 0 && !stoppingToken.IsCancellationRequested)
        {
            model.Next(ref tick, opened);
            if (!await TrySendAsync(Payload(tick, seqs), names[tick.SymbolId], stoppingToken).ConfigureAwait(false))
            {
                return;
            }
        }

        var start = Stopwatch.GetTimestamp();
        long produced = 0;

        while (!stoppingToken.IsCancellationRequested)
        {
            // The synthetic feed's pacing: tick k falls due k/rate seconds after the start;
            // re-anchor rather than flood when more than a second behind.
            var now = Stopwatch.GetTimestamp();
            var due = (long)((now - start) * ticksPerTimestamp) + 1 - produced;
            if (due <= 0)
            {
                await Task.Delay(Math.Max(1, (int)Math.Min(100, Stopwatch.GetElapsedTime(now, start + (long)(produced / ticksPerTimestamp)).TotalMilliseconds)), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            if (due > Math.Max(o.Rate, 256))
            {
                start = now - (long)(produced / ticksPerTimestamp);
                due = 1;
            }

            var n = Math.Min(due, 256);
            var receive = TickPublisher.NowNs();
            for (var i = 0; i < n && !stoppingToken.IsCancellationRequested; i++)
            {
                model.Next(ref tick, receive);
                if (!await TrySendAsync(Payload(tick, seqs), names[tick.SymbolId], stoppingToken).ConfigureAwait(false))
                {
                    return;
                }
            }

            produced += n;
        }
    }

    /// <summary>One update as the hub sends it: symbol, seq, kind, four price/size fields, exchange, receive and server time.</summary>
    private static long[] Payload(in Tick tick, long[] seqs)
    {
        var quote = tick.Kind == TickKind.Quote;
        return
        [
            tick.SymbolId,
            ++seqs[tick.SymbolId],
            (long)tick.Kind,
            quote ? tick.BidPrice : tick.Price,
            quote ? tick.BidSize : tick.Size,
            quote ? tick.AskPrice : (long)tick.Side,
            quote ? tick.AskSize : tick.Conditions,
            tick.ExchangeTimeNs,
            tick.ReceiveTimeNs,
            TickPublisher.NowNs(),
        ];
    }

    /// <summary>Sends to the symbol's group; false once the host is stopping.</summary>
    private async Task<bool> TrySendAsync(long[] payload, string group, CancellationToken ct)
    {
        try
        {
            await hub.Clients.Group(group).SendAsync("u", payload, ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
