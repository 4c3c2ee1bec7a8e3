using System.Globalization;

namespace MarketStream.LoadTest.Targets;

/// <summary>
/// What a started server is told, the same for both targets where both have the setting: feed rate
/// and seed, and how long a silent client is tolerated (a stalled client must outlive its stall).
/// </summary>
/// <param name="Rate">Synthetic ticks per second.</param>
/// <param name="ClientTimeout">Keep-alive timeout (MarketStream) / client timeout (SignalR).</param>
/// <param name="Extra">Further MarketStream switches (<c>--MarketStream:Gateway:…=…</c>).</param>
/// <param name="ServerGc">Both servers run with server GC (true) or workstation GC.</param>
internal sealed record TargetSettings(double Rate, TimeSpan ClientTimeout, IReadOnlyList<string> Extra, bool ServerGc)
{
    /// <summary>How long after its start the server holds back the first tick (zero: ticks from the start).</summary>
    public TimeSpan FeedDelay { get; init; }

    public IReadOnlyList<string> Switches(TargetKind kind, int seed)
    {
        var inv = CultureInfo.InvariantCulture;
        if (kind == TargetKind.SignalR)
        {
            return
            [
                string.Create(inv, $"--Baseline:Rate={Rate}"),
                string.Create(inv, $"--Baseline:Seed={seed}"),
                string.Create(inv, $"--Baseline:ClientTimeoutSeconds={ClientTimeout.TotalSeconds}"),
                string.Create(inv, $"--Baseline:StartDelaySeconds={FeedDelay.TotalSeconds}"),
            ];
        }

        var list = new List<string>
        {
            "--Logging:LogLevel:Default=Warning",
            string.Create(inv, $"--MarketStream:Feeds:Synthetic:Rate={Rate}"),
            string.Create(inv, $"--MarketStream:Feeds:Synthetic:Seed={seed}"),
            string.Create(inv, $"--MarketStream:Gateway:KeepAliveTimeout={ClientTimeout:c}"),
            string.Create(inv, $"--MarketStream:Feeds:Synthetic:StartDelay={FeedDelay:c}"),
        };
        list.AddRange(Extra);
        return list;
    }
}
