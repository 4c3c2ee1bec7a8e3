using MarketStream.Protocol;

namespace MarketStream.Client.Cli;

/// <summary>Connects, subscribes, and hands every event to a command until the time or count is up, Ctrl+C, or the session ends for good.</summary>
internal static class StreamRunner
{
    /// <param name="options">Where and what.</param>
    /// <param name="error">Diagnostics (reconnects, gaps, notices) when the command's output must stay clean.</param>
    /// <param name="onSubscribed">Called with the ack before the first event.</param>
    /// <param name="onEvent">Called per event; counts toward --count when it returns true.</param>
    /// <param name="reportSession">Print session events (reconnects, notices, errors, gaps) to <paramref name="error"/>.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public static async Task RunAsync(StreamOptions options, TextWriter error, Action<Subscription> onSubscribed, Func<MarketEvent, bool> onEvent, bool reportSession, CancellationToken cancellationToken)
    {
        await using var client = new MarketStreamClient(new MarketStreamClientOptions { Url = options.Url, Token = options.Token });
        await client.ConnectAsync(cancellationToken);
        var subscription = await client.SubscribeAsync(options.Symbols, options.Mode, options.MaxRateMs, cancellationToken: cancellationToken);
        onSubscribed(subscription);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.Seconds > 0)
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(options.Seconds));
        }

        long counted = 0;
        try
        {
            await foreach (var e in client.ReadEventsAsync(deadline.Token))
            {
                if (reportSession)
                {
                    Report(error, e);
                }

                if (onEvent(e) && options.Count > 0 && ++counted >= options.Count)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // Time is up, or Ctrl+C: a normal end.
        }
    }

    private static void Report(TextWriter error, in MarketEvent e)
    {
        switch (e.Kind)
        {
            case MarketEventKind.Connected when e.Connection!.Reconnects > 0:
                error.WriteLine($"# reconnected (session {e.Connection.SessionId}, reconnect {e.Connection.Reconnects}); resuming");
                break;
            case MarketEventKind.Disconnected:
                error.WriteLine($"# disconnected ({e.Disconnect!.CloseStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no close code"}: {e.Disconnect.Description}){(e.Disconnect.WillReconnect ? "; reconnecting" : "")}");
                break;
            case MarketEventKind.Gap:
                error.WriteLine($"# GAP {e.Symbol!.Name}: {e.Count} updates missing ({e.Epoch}:{e.FirstSeq}..{e.Seq})");
                break;
            case MarketEventKind.Reset:
                error.WriteLine($"# reset {e.Symbol!.Name} ({e.ResetReason}): fresh snapshot at {e.Epoch}:{e.Seq}");
                break;
            case MarketEventKind.Notice:
                error.WriteLine($"# notice {(int)e.Notice!.Code} {e.Notice.Code}: {e.Notice.Text}");
                break;
            case MarketEventKind.Error:
                error.WriteLine($"# error {(int)e.Error!.Code} {e.Error.Code}: {e.Error.Text}");
                break;
        }
    }
}
