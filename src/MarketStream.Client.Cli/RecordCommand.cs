using MarketStream.Feeds.Replay;
using MarketStream.Feeds.Symbols;
using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Client.Cli;

/// <summary>
/// <c>record AAPL MSFT --out ticks.mstk|ticks.csv [--seconds N]</c>: writes every update to a tick file in the
/// format the replay feed reads (Feeds' own writers, docs/feeds.md). Subscribes in full mode by default: a
/// merged update folds several ticks and cannot be written back as ticks, so merges (and gaps) are counted
/// and reported instead of being invented.
/// </summary>
internal static class RecordCommand
{
    public static async Task<int> RunAsync(CliArguments args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var path = args.String("out") ?? throw new CliUsageException("record needs --out FILE.mstk or FILE.csv");
        var format = TickFiles.FormatOf(path);
        if (format == TickFileFormat.Auto)
        {
            throw new CliUsageException($"--out must end in .mstk (binary) or .csv; got '{path}'");
        }

        var options = StreamOptions.Read(args, SubscriptionMode.Full, defaultSeconds: 0);
        ITickWriter? writer = null;
        Dictionary<string, int> fileIds = [];
        long merged = 0, gaps = 0, resets = 0;
        try
        {
            await StreamRunner.RunAsync(
                options,
                error,
                subscription =>
                {
                    // The file's universe: the subscribed symbols, numbered 0..n-1 (a replay maps them back by name).
                    var symbols = new SymbolInfo[subscription.Symbols.Count];
                    for (var i = 0; i < symbols.Length; i++)
                    {
                        symbols[i] = subscription.Symbols[i] with { Id = i };
                        fileIds[symbols[i].Name] = i;
                    }

                    writer = TickFiles.CreateWriter(path, format, SymbolUniverse.FromSymbols(symbols));
                },
                e =>
                {
                    switch (e.Kind)
                    {
                        case MarketEventKind.Update when fileIds.TryGetValue(e.Symbol!.Name, out var id):
                            var tick = e.Update;
                            tick.SymbolId = id;
                            writer!.Write(tick);
                            return true;
                        case MarketEventKind.Merged:
                            merged++;
                            break;
                        case MarketEventKind.Gap:
                            gaps++;
                            break;
                        case MarketEventKind.Reset:
                            resets++;
                            break;
                    }

                    return false;
                },
                reportSession: true,
                cancellationToken);
            writer?.Complete();
        }
        finally
        {
            writer?.Dispose();
        }

        var written = writer?.Written ?? 0;
        output.WriteLine($"recorded {written} ticks of {fileIds.Count} symbols to {path}");
        if (merged + gaps + resets > 0)
        {
            error.WriteLine($"warning: {merged} merged updates, {gaps} gaps and {resets} resets could not be recorded as ticks (use --mode full and a faster reader)");
        }

        return 0;
    }
}
