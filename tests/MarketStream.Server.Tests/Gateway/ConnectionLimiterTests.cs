using System.Net;
using MarketStream.Server.Gateway;

namespace MarketStream.Server.Tests.Gateway;

public sealed class ConnectionLimiterTests
{
    private static readonly IPAddress A = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress B = IPAddress.Parse("127.0.0.3");

    [Fact]
    public void TryAcquire_PastPerAddressLimit_RefusesThatAddressOnly()
    {
        var limiter = new ConnectionLimiter(maxTotal: 10, maxPerAddress: 2);

        Assert.Equal(ConnectionRefusal.None, limiter.TryAcquire(A));
        Assert.Equal(ConnectionRefusal.None, limiter.TryAcquire(A));
        Assert.Equal(ConnectionRefusal.TooManyFromAddress, limiter.TryAcquire(A));
        Assert.Equal(ConnectionRefusal.None, limiter.TryAcquire(B));
        Assert.Equal(2, limiter.ForAddress(A));
        Assert.Equal(3, limiter.Total);
    }

    [Fact]
    public void TryAcquire_PastTotalLimit_Refuses()
    {
        var limiter = new ConnectionLimiter(maxTotal: 2, maxPerAddress: 5);
        limiter.TryAcquire(A);
        limiter.TryAcquire(B);

        Assert.Equal(ConnectionRefusal.TooManyConnections, limiter.TryAcquire(B));
        Assert.Equal(2, limiter.Total);
    }

    [Fact]
    public void Release_FreesThePlace()
    {
        var limiter = new ConnectionLimiter(maxTotal: 1, maxPerAddress: 1);
        limiter.TryAcquire(A);
        limiter.Release(A);

        Assert.Equal(ConnectionRefusal.None, limiter.TryAcquire(A));
        Assert.Equal(1, limiter.Total);
    }

    [Fact]
    public async Task AcquireRelease_Concurrently_CountsStayExactAndLimitsHold()
    {
        const int PerAddress = 50;
        var limiter = new ConnectionLimiter(maxTotal: 1_000_000, maxPerAddress: PerAddress);
        var maxSeen = 0;
        var tasks = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            var address = t % 2 == 0 ? A : B;
            for (var i = 0; i < 20_000; i++)
            {
                if (limiter.TryAcquire(address) == ConnectionRefusal.None)
                {
                    var now = limiter.ForAddress(address);
                    InterlockedMax(ref maxSeen, now);
                    limiter.Release(address);
                }
            }
        }, TestContext.Current.CancellationToken)).ToArray();
        await Task.WhenAll(tasks);

        Assert.Equal(0, limiter.Total);
        Assert.Equal(0, limiter.ForAddress(A));
        Assert.Equal(0, limiter.ForAddress(B));
        Assert.InRange(maxSeen, 1, PerAddress);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
