namespace MarketStream.Server.Gateway;

/// <summary>
/// A session's subscription ids ↔ symbol ids. Touched only under the session lock (reader requests,
/// the writer's drain through <see cref="FrameSink"/>, symbol additions), so it needs no locking of its own.
/// The tables are made on the first Subscribe: a connection that never subscribes holds none
/// (docs/operations.md, memory per connection).
/// </summary>
internal sealed class SessionSubscriptions
{
    private static readonly Dictionary<long, SessionSubscription> NoSubscriptions = [];
    private static readonly Dictionary<int, SymbolCoverage> NoSymbols = [];

    // Shared empty tables until the first Add; never written while they are the shared ones.
    private Dictionary<long, SessionSubscription> _byId = NoSubscriptions;
    private Dictionary<int, SymbolCoverage> _bySymbol = NoSymbols;

    public int Count => _byId.Count;

    public int SymbolCount => _bySymbol.Count;

    /// <summary>Symbols with a snapshot still owed to a request id; the sink looks at updates only while this is non-zero.</summary>
    public int PendingRequests { get; private set; }

    public Dictionary<long, SessionSubscription>.ValueCollection All => _byId.Values;

    public bool Contains(long id) => _byId.ContainsKey(id);

    public bool TryGet(long id, out SessionSubscription subscription) => _byId.TryGetValue(id, out subscription!);

    public bool Covers(int symbolId) => _bySymbol.ContainsKey(symbolId);

    public void Add(SessionSubscription subscription)
    {
        if (ReferenceEquals(_byId, NoSubscriptions))
        {
            _byId = [];
            _bySymbol = [];
        }

        _byId.Add(subscription.Id, subscription);
    }

    /// <summary>Adds <paramref name="symbolId"/> to <paramref name="subscription"/>; true if the symbol was not covered before (the caller subscribes the outbox).</summary>
    public bool Cover(SessionSubscription subscription, int symbolId)
    {
        if (!subscription.Symbols.Add(symbolId))
        {
            return false;
        }

        if (_bySymbol.TryGetValue(symbolId, out var coverage))
        {
            coverage.Count++;
            return false;
        }

        _bySymbol.Add(symbolId, new SymbolCoverage(subscription.Id));
        return true;
    }

    /// <summary>
    /// Removes a subscription; <paramref name="released"/> receives the symbols no other subscription covers,
    /// <paramref name="reowned"/> those whose delivery passes to another covering subscription.
    /// </summary>
    public void Remove(SessionSubscription subscription, List<int> released, List<int> reowned)
    {
        _byId.Remove(subscription.Id);
        foreach (var symbolId in subscription.Symbols)
        {
            var coverage = _bySymbol[symbolId];
            if (--coverage.Count == 0)
            {
                SetPending(coverage, 0);
                _bySymbol.Remove(symbolId);
                released.Add(symbolId);
            }
            else if (coverage.OwnerId == subscription.Id)
            {
                coverage.OwnerId = FindOwner(symbolId);
                reowned.Add(symbolId);
            }
        }
    }

    /// <summary>Subscription id named for a symbol (notices); 0 if not covered.</summary>
    public long OwnerOf(int symbolId) => _bySymbol.TryGetValue(symbolId, out var c) ? c.OwnerId : 0;

    public void ExpectSnapshot(int symbolId, long requestId)
    {
        if (_bySymbol.TryGetValue(symbolId, out var coverage))
        {
            SetPending(coverage, requestId);
        }
    }

    /// <summary>Request id a snapshot or reset of the symbol answers now (then 0 for later unsolicited ones).</summary>
    public long TakeRequestId(int symbolId)
    {
        if (!_bySymbol.TryGetValue(symbolId, out var coverage))
        {
            return 0;
        }

        var id = coverage.PendingRequestId;
        SetPending(coverage, 0);
        return id;
    }

    private void SetPending(SymbolCoverage coverage, long requestId)
    {
        if (coverage.PendingRequestId == 0 && requestId != 0)
        {
            PendingRequests++;
        }
        else if (coverage.PendingRequestId != 0 && requestId == 0)
        {
            PendingRequests--;
        }

        coverage.PendingRequestId = requestId;
    }

    private long FindOwner(int symbolId)
    {
        // The remaining subscription with the smallest id: deterministic, and ≤ MaxSubscriptionsPerConnection to scan.
        var owner = long.MaxValue;
        foreach (var subscription in _byId.Values)
        {
            if (subscription.Id < owner && subscription.Symbols.Contains(symbolId))
            {
                owner = subscription.Id;
            }
        }

        return owner == long.MaxValue ? 0 : owner;
    }
}
