using MarketStream.Client;

namespace MarketStream.Client.Tests;

/// <summary>
/// Checks what a consumer relies on in a client's event stream (docs/protocol.md §2.4): per symbol a
/// Snapshot or Reset comes first; every Update/Merged continues at last + 1; merged counts equal their range.
/// </summary>
internal sealed class StreamOrder
{
    public Dictionary<string, long> LastSeq { get; } = [];

    public List<string> Violations { get; } = [];

    public int Updates { get; private set; }

    public int Merged { get; private set; }

    public int MergedUpdates { get; private set; }

    public int Gaps { get; private set; }

    public int Resets { get; private set; }

    public static StreamOrder Check(IEnumerable<MarketEvent> events)
    {
        var check = new StreamOrder();
        foreach (var e in events)
        {
            check.Add(e);
        }

        return check;
    }

    public void Add(in MarketEvent e)
    {
        var name = e.Symbol?.Name;
        switch (e.Kind)
        {
            case MarketEventKind.Snapshot:
            case MarketEventKind.Reset:
                Resets += e.Kind == MarketEventKind.Reset ? 1 : 0;
                LastSeq[name!] = e.Seq;
                break;
            case MarketEventKind.Update:
            case MarketEventKind.Merged:
                if (!LastSeq.TryGetValue(name!, out var last))
                {
                    Violations.Add($"{e}: no snapshot before it");
                }
                else if (e.FirstSeq != last + 1)
                {
                    Violations.Add($"{e}: expected seq {last + 1}");
                }

                if (e.Kind == MarketEventKind.Merged)
                {
                    Merged++;
                    MergedUpdates += e.Count;
                    if (e.Count != e.Seq - e.FirstSeq + 1)
                    {
                        Violations.Add($"{e}: count differs from its range");
                    }
                }
                else
                {
                    Updates++;
                }

                LastSeq[name!] = e.Seq;
                break;
            case MarketEventKind.Gap:
                Gaps++;
                break;
        }
    }
}
