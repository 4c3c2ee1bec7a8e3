using MarketStream.Feeds.Hosting;
using MarketStream.Model;
using MarketStream.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MarketStream.IntegrationTests.Faults;

/// <summary>
/// A feed handler that misbehaves on purpose: each run publishes <see cref="TicksPerRun"/> quotes of one
/// symbol, then the first run throws and the second stalls (publishes nothing until stopped). Added to a
/// real server's FeedHost before it starts (<see cref="Install"/>).
/// </summary>
internal sealed class FaultyFeed(int symbolId) : FeedHandler("faulty")
{
    public const int TicksPerRun = 50;

    private int _runs;

    public int Runs => Volatile.Read(ref _runs);

    /// <summary>Adds this feed to the server's FeedHost just before the hosted services start.</summary>
    public void Install(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<IHostedService>(sp => new Installer(sp.GetRequiredService<EngineHost>(), this));

    protected internal override void Run(TickPublisher publisher, int restart, CancellationToken stop)
    {
        var run = Interlocked.Increment(ref _runs);
        for (var i = 0; i < TicksPerRun && !stop.IsCancellationRequested; i++)
        {
            var now = TickPublisher.NowNs();
            var tick = new Tick
            {
                Kind = TickKind.Quote, SymbolId = symbolId, ExchangeTimeNs = now, ReceiveTimeNs = now,
                BidPrice = 108_400 + i, BidSize = 1_000_000, AskPrice = 108_402 + i, AskSize = 1_000_000,
            };
            publisher.Publish(in tick, stop);
            stop.WaitHandle.WaitOne(2);
        }

        if (run == 1)
        {
            throw new InvalidOperationException("upstream connection lost (test fault)");
        }

        // Second run: stall — alive, publishing nothing, until the host stops.
        stop.WaitHandle.WaitOne();
    }

    private sealed class Installer(EngineHost host, FaultyFeed feed) : IHostedLifecycleService
    {
        public Task StartingAsync(CancellationToken cancellationToken)
        {
            host.Feeds.Add(feed);
            return Task.CompletedTask;
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
