using MarketStream.Server.Operations;

namespace MarketStream.Server.Tests.Operations;

public sealed class StripedCounterTests
{
    [Fact]
    public async Task Add_FromManyThreadsAtOnce_LosesNothing()
    {
        var counter = new StripedCounter();
        const int Threads = 8;
        const int AddsPerThread = 200_000;
        using var start = new Barrier(Threads);

        var workers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < AddsPerThread; i++)
            {
                counter.Add(t + 1);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        // Reads while adds run never go backwards (each cell only grows).
        long last = 0;
        while (!workers.All(w => w.IsCompleted))
        {
            var now = counter.Read();
            Assert.True(now >= last, $"read {now} after {last}");
            last = now;
        }

        await Task.WhenAll(workers);
        // Σ (t + 1) × adds for t = 0 … 7.
        Assert.Equal(36L * AddsPerThread, counter.Read());
    }
}
