using MarketStream.Protocol;

namespace MarketStream.Client.Internal;

/// <summary>A subscription the client keeps alive: re-sent with resume positions on every reconnect.</summary>
internal sealed class ActiveSubscription(long id, string[] symbols, SubscriptionMode mode, int maxRateMs, int maxLagMs)
{
    public long Id { get; } = id;

    /// <summary>What the user asked for (names and patterns).</summary>
    public string[] Symbols { get; } = symbols;

    public SubscriptionMode Mode { get; } = mode;

    public int MaxRateMs { get; } = maxRateMs;

    public int MaxLagMs { get; } = maxLagMs;

    /// <summary>Names the last SubscribeAck listed (patterns expanded); empty until the first ack.</summary>
    public string[] Covered { get; private set; } = [];

    /// <summary>The last SubscribeAck, as the user sees it; null until the first.</summary>
    public Subscription? Acknowledged { get; private set; }

    public void OnAck(SubscribeAckMessage ack)
    {
        var names = new string[ack.Symbols.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = ack.Symbols[i].Name;
        }

        Covered = names;
        Acknowledged = new Subscription(Id, ack.Mode, ack.Symbols);
    }

    public SubscribeRequest ToRequest(IReadOnlyList<ResumePosition> resume) => new(Id, Symbols, Mode, MaxRateMs, MaxLagMs, resume);
}
