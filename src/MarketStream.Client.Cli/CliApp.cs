using MarketStream.Client;

namespace MarketStream.Client.Cli;

/// <summary>The <c>marketstream</c> command line. Exit codes: 0 done, 1 failed (connection, refusal, server error), 2 bad command line.</summary>
public static class CliApp
{
    public const string Usage = """
        usage: marketstream <command> [symbols…] [options]

          subscribe AAPL MSFT [--format table|csv|json]   live table, or one CSV row / JSON line per event
                                                         (default: table on a terminal, csv when redirected)
          record AAPL MSFT --out FILE.mstk|FILE.csv        write updates as a tick file the replay feed reads
          latency [SYMBOLS…] --seconds N                   tick-to-client latency percentiles (default: *, 10 s)
          token [PATTERNS…] [--subject S] [--role R]       mint a development token (POST /api/dev/token)

        options:
          --url URL          server WebSocket (default ws://127.0.0.1:5080/ws, or MARKETSTREAM_URL)
          --token JWT        bearer token (or MARKETSTREAM_TOKEN)
          --mode M           conflated (subscribe default) or full (record/latency default)
          --max-rate MS      at most one update per symbol per MS
          --seconds N        stop after N seconds (0 = until Ctrl+C)
          --count N          stop after N market events
        """;

    /// <summary>Runs one command; output and errors go to the given writers (tests pass their own).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            (args.Length == 0 ? error : output).WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var rest = args[1..];
            return args[0] switch
            {
                "subscribe" => await SubscribeCommand.RunAsync(CliArguments.Parse(rest), output, error, cancellationToken),
                "record" => await RecordCommand.RunAsync(CliArguments.Parse(rest), output, error, cancellationToken),
                "latency" => await LatencyCommand.RunAsync(CliArguments.Parse(rest), output, error, cancellationToken),
                "token" => await TokenCommand.RunAsync(CliArguments.Parse(rest), output, error, cancellationToken),
                _ => throw new CliUsageException($"unknown command '{args[0]}'"),
            };
        }
        catch (CliUsageException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            error.WriteLine("run 'marketstream help' for usage");
            return 2;
        }
        catch (MarketStreamException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return 1;
        }
        catch (HttpRequestException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return 1;
        }
        catch (IOException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return 1;
        }
        catch (UnauthorizedAccessException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 130; // Ctrl+C before the stream started
        }
    }
}
