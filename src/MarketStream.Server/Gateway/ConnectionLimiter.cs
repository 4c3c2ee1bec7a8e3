using System.Collections.Concurrent;
using System.Net;

namespace MarketStream.Server.Gateway;

/// <summary>
/// Counts open connections in total and per client address and refuses past the limits of
/// <see cref="GatewayOptions"/>. Acquire before the upgrade, release when the session ends.
/// </summary>
internal sealed class ConnectionLimiter(int maxTotal, int maxPerAddress)
{
    private readonly ConcurrentDictionary<IPAddress, int> _perAddress = new();
    private int _total;

    public int Total => Volatile.Read(ref _total);

    public int ForAddress(IPAddress address) => _perAddress.TryGetValue(address, out var n) ? n : 0;

    /// <summary>Takes a place for a connection from <paramref name="address"/>; false when a limit is reached.</summary>
    public ConnectionRefusal TryAcquire(IPAddress address)
    {
        if (Interlocked.Increment(ref _total) > maxTotal)
        {
            Interlocked.Decrement(ref _total);
            return ConnectionRefusal.TooManyConnections;
        }

        // AddOrUpdate may run the update more than once under contention; the check-then-undo
        // below keeps the count exact whatever the interleaving.
        var n = _perAddress.AddOrUpdate(address, 1, static (_, c) => c + 1);
        if (n > maxPerAddress)
        {
            Release(address);
            return ConnectionRefusal.TooManyFromAddress;
        }

        return ConnectionRefusal.None;
    }

    /// <summary>Gives back a place taken by a successful <see cref="TryAcquire"/>.</summary>
    public void Release(IPAddress address)
    {
        while (true)
        {
            if (!_perAddress.TryGetValue(address, out var n))
            {
                break;
            }

            if (n <= 1 ? _perAddress.TryRemove(new KeyValuePair<IPAddress, int>(address, n)) : _perAddress.TryUpdate(address, n - 1, n))
            {
                break;
            }
        }

        Interlocked.Decrement(ref _total);
    }
}
