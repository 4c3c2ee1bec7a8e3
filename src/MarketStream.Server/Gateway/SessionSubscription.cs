using MarketStream.Core.Sessions;
using MarketStream.Core.Symbols;
using MarketStream.Protocol;

namespace MarketStream.Server.Gateway;

/// <summary>One active subscription of a session: the Subscribe request id (docs/protocol.md §4.2) and what it covers.</summary>
internal sealed class SessionSubscription(long id, SymbolPattern[] patterns, SubscriptionOptions options, SubscriptionMode mode)
{
    public long Id { get; } = id;

    /// <summary>What the client asked for; wildcard ones are extended to symbols added later.</summary>
    public SymbolPattern[] Patterns { get; } = patterns;

    public SubscriptionOptions Options { get; } = options;

    /// <summary>Effective mode reported in SubscribeAck.</summary>
    public SubscriptionMode Mode { get; } = mode;

    /// <summary>Symbol ids this subscription covers.</summary>
    public HashSet<int> Symbols { get; } = [];

    public bool HasWildcard
    {
        get
        {
            foreach (var pattern in Patterns)
            {
                if (pattern.Kind != SymbolPatternKind.Exact)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
