using Microsoft.AspNetCore.SignalR;

namespace MarketStream.SignalRBaseline;

/// <summary>Clients call <c>Subscribe(names)</c>; ticks then arrive as <c>"u"</c> with one <c>long[]</c> argument (see <see cref="SyntheticBroadcaster"/>).</summary>
internal sealed class TickHub(SymbolGroups groups) : Hub
{
    /// <summary>Joins one group per symbol; answers how many names were known (unknown names are ignored).</summary>
    public async Task<int> Subscribe(string[] symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var joined = 0;
        foreach (var name in symbols)
        {
            if (groups.Universe.IdOf(name) >= 0)
            {
                await Groups.AddToGroupAsync(Context.ConnectionId, name).ConfigureAwait(false);
                joined++;
            }
        }

        return joined;
    }
}
