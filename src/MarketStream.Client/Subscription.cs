using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Client;

/// <summary>An active subscription, as the server acknowledged it (docs/protocol.md §4.11).</summary>
/// <param name="Id">Subscription id (the Subscribe request id); <see cref="MarketStreamClient.UnsubscribeAsync"/> takes it.</param>
/// <param name="Mode">Effective delivery mode.</param>
/// <param name="Symbols">Every symbol the subscription covers, patterns expanded.</param>
public sealed record Subscription(long Id, SubscriptionMode Mode, IReadOnlyList<SymbolInfo> Symbols);
