using System.Globalization;
using System.Text;
using MarketStream.Model;

namespace MarketStream.Client.Cli;

/// <summary>
/// One row per symbol: bid, ask, last, volume, position and what the stream did (updates, merges, gaps,
/// resets). Redrawn in place four times a second on a terminal; printed once at the end when redirected.
/// </summary>
internal sealed class LiveTable(TextWriter output, bool interactive)
{
    private readonly Lock _sync = new();
    private readonly SortedDictionary<string, Row> _rows = new(StringComparer.Ordinal);

    /// <summary>Applies an event; true for market-data events.</summary>
    public bool Apply(in MarketEvent e)
    {
        if (e.Symbol is not { } symbol)
        {
            return false;
        }

        lock (_sync)
        {
            if (!_rows.TryGetValue(symbol.Name, out var row))
            {
                row = new Row();
                _rows.Add(symbol.Name, row);
            }

            row.Symbol = symbol;
            switch (e.Kind)
            {
                case MarketEventKind.Gap:
                    row.Gaps++;
                    return true;
                case MarketEventKind.Reset:
                    row.Resets++;
                    break;
                case MarketEventKind.Update:
                    row.Updates++;
                    break;
                case MarketEventKind.Merged:
                    row.Merged++;
                    break;
            }

            row.State = e.State;
        }

        return true;
    }

    public IDisposable StartRefreshing(CancellationToken cancellationToken)
    {
        if (!interactive)
        {
            return new CancellationTokenSource();
        }

        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                Render();
            }
        }, CancellationToken.None).ContinueWith(static _ => { }, TaskScheduler.Default);
        return stop;
    }

    public void Render()
    {
        var text = new StringBuilder();
        if (interactive)
        {
            text.Append("\u001b[H\u001b[2J"); // cursor home, clear screen
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"{"SYMBOL",-10} {"BID",14} {"ASK",14} {"LAST",14} {"VOLUME",14} {"SEQ",10} {"UPDATES",8} {"MERGED",7} {"GAPS",5} {"RESETS",6}");
        lock (_sync)
        {
            foreach (var (name, row) in _rows)
            {
                var s = row.State;
                var p = row.Symbol!.PriceScale;
                text.AppendLine(CultureInfo.InvariantCulture, $"{name,-10} {Price(s.HasQuote, s.BidPrice, p),14} {Price(s.HasQuote, s.AskPrice, p),14} {Price(s.HasTrade, s.LastPrice, p),14} {Price(s.HasTrade, s.Volume, row.Symbol.SizeScale),14} {s.Seq,10} {row.Updates,8} {row.Merged,7} {row.Gaps,5} {row.Resets,6}");
            }
        }

        output.Write(text.ToString());
        output.Flush();
    }

    private static string Price(bool present, long mantissa, int scale) => present ? FixedPoint.Format(mantissa, scale) : "-";

    private sealed class Row
    {
        public SymbolInfo? Symbol { get; set; }

        public SymbolSnapshot State { get; set; }

        public long Updates { get; set; }

        public long Merged { get; set; }

        public long Gaps { get; set; }

        public long Resets { get; set; }
    }
}
