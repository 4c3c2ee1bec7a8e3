using MarketStream.Core.Sessions;
using MarketStream.Core.Tests.Support;

#pragma warning disable CA2012 // the test inspects ValueTasks without awaiting them, on purpose

namespace MarketStream.Core.Tests.Sessions;

[Collection(StressCollection.Name)]
public class WakeSignalTests
{
    [Fact]
    public void WaitAsync_SetBeforeWait_CompletesSynchronouslyOnce()
    {
        var signal = new WakeSignal();
        signal.Set();
        signal.Set();
        Assert.True(signal.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        Assert.False(signal.WaitAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task WaitAsync_ManyWakesFromAnotherThread_NoAllocationPerWake()
    {
        const int wakes = 20_000;
        var signal = new WakeSignal();
        var woken = 0;
        var stop = false;
        var producer = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                signal.Set();
                Thread.SpinWait(50);
            }
        });

        producer.Start();
        await Task.Run(() => LoopAsync(signal, 1_000, () => woken++), TestContext.Current.CancellationToken);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await Task.Run(() => LoopAsync(signal, wakes, () => woken++), TestContext.Current.CancellationToken);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Volatile.Write(ref stop, true);
        producer.Join();

        // The whole process, test framework included, allocated less than one object per 10 wakes.
        Assert.True(allocated < wakes * 24 / 10, $"{allocated} bytes for {wakes} wakes");
        Assert.Equal(wakes + 1_000, woken);
    }

    private static async Task LoopAsync(WakeSignal signal, int count, Action onWake)
    {
        for (var i = 0; i < count; i++)
        {
            await signal.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            onWake();
        }
    }
}
