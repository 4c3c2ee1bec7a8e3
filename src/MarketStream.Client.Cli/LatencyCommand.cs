using HdrHistogram;
using MarketStream.Protocol;

namespace MarketStream.Client.Cli;

/// <summary>
/// <c>latency [SYMBOLS…] --seconds N</c>: tick-to-client latency percentiles, from the moment a feed handler
/// accepted the tick (Update receiveTimeNs) to the moment its frame arrived here (same clock when client and
/// server share a machine; across machines, clock offset adds in).
/// </summary>
internal static class LatencyCommand
{
    public static async Task<int> RunAsync(CliArguments args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var options = StreamOptions.Read(args, SubscriptionMode.Full, defaultSeconds: 10, defaultSymbols: ["*"]);
        if (options.Seconds <= 0 && options.Count <= 0)
        {
            throw new CliUsageException("latency needs --seconds N (or --count N) greater than 0");
        }

        // Microseconds, up to one minute, 3 significant digits.
        var histogram = new LongHistogram(60_000_000, 3);
        long negative = 0;
        await StreamRunner.RunAsync(
            options,
            error,
            _ => { },
            e =>
            {
                if (e.Kind != MarketEventKind.Update || e.Update.ReceiveTimeNs == 0)
                {
                    return false;
                }

                var micros = (e.ClientTimeNs - e.Update.ReceiveTimeNs) / 1000;
                if (micros < 0)
                {
                    negative++; // clocks of two machines disagree
                    micros = 0;
                }

                histogram.RecordValue(Math.Min(micros, histogram.HighestTrackableValue));
                return true;
            },
            reportSession: true,
            cancellationToken);

        if (histogram.TotalCount == 0)
        {
            error.WriteLine("error: no updates arrived; nothing to measure (is the feed running, are the symbols right?)");
            return 1;
        }

        output.WriteLine($"tick-to-client latency over {histogram.TotalCount} updates ({string.Join(' ', options.Symbols)}, {options.Mode.ToString().ToLowerInvariant()} mode)");
        foreach (var percentile in new[] { 50.0, 90.0, 99.0, 99.9 })
        {
            output.WriteLine($"  p{percentile,-5} {Ms(histogram.GetValueAtPercentile(percentile))} ms");
        }

        output.WriteLine($"  max    {Ms(histogram.GetMaxValue())} ms");
        if (negative > 0)
        {
            error.WriteLine($"warning: {negative} updates arrived before they were received upstream: the client's and server's clocks differ");
        }

        return 0;
    }

    private static string Ms(long micros) => (micros / 1000.0).ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
}
