using MarketStream.Protocol;

namespace MarketStream.Client.Cli;

/// <summary>
/// <c>subscribe AAPL MSFT [--format table|csv|json]</c>: a live table, or one CSV row / JSON line per event.
/// Without --format: the table on a terminal, CSV rows when the output is redirected.
/// </summary>
internal static class SubscribeCommand
{
    public static async Task<int> RunAsync(CliArguments args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // The live table redraws a terminal; piped into a file or another program, a line per event is what streams.
        var terminal = !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);
        var format = args.String("format") ?? (terminal ? "table" : "csv");
        if (format is not ("table" or "csv" or "json"))
        {
            throw new CliUsageException($"--format must be table, csv or json; got '{format}'");
        }

        var options = StreamOptions.Read(args, SubscriptionMode.Conflated, defaultSeconds: 0);
        if (format == "table")
        {
            var table = new LiveTable(output, interactive: terminal);
            using var refresh = table.StartRefreshing(cancellationToken);
            await StreamRunner.RunAsync(options, error, _ => { }, e => table.Apply(e), reportSession: true, cancellationToken);
            table.Render();
            return 0;
        }

        var lines = new EventLineWriter(output, json: format == "json");
        lines.WriteHeader();
        await StreamRunner.RunAsync(options, error, _ => { }, e => lines.Write(e) && e.Symbol is not null, reportSession: format == "csv", cancellationToken);
        return 0;
    }
}
