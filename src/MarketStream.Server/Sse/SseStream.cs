using MarketStream.Core.Engine;
using MarketStream.Core.Sessions;
using MarketStream.Model;
using MarketStream.Protocol;
using Microsoft.AspNetCore.Http.Features;

namespace MarketStream.Server.Sse;

/// <summary>
/// One SSE connection: a real <see cref="SessionOutbox"/> subscribed to every symbol of the stream
/// (resuming from the <c>Last-Event-ID</c> positions when they belong to this stream), drained into
/// an <see cref="SseEventSink"/> and written and flushed once per batch. Backpressure is the
/// outbox's: while a write to a slow client is awaited, updates conflate in the outbox (conflated
/// mode) or queue up to the bounded full-mode queue and then degrade, so memory stays bounded.
/// </summary>
internal sealed partial class SseStream(
    HttpContext context,
    MarketEngine engine,
    SseRequest request,
    OutboxOptions outboxOptions,
    SseOptions options,
    SseMetrics metrics,
    TimeProvider clock,
    ILogger logger)
{
    private long _reportedEvents;

    public async Task RunAsync(CancellationToken stop)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-transform";
        // Reverse proxies (nginx) must not buffer the stream.
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var symbols = request.Symbols;
        using var sink = new SseEventSink(symbols, engine.StartEpoch, options.MaxBatchBytes, MessagePackUpdateEncoder.Instance.MaxUpdateLength);
        using var outbox = engine.CreateOutbox(outboxOptions);
        var resumed = PlanResume(sink, out var resumeFrom);
        sink.AppendSubscribed((int)options.RetryInterval.TotalMilliseconds, request.ModeName, request.Options.MaxRateMs, resumed);
        if (!await WriteAsync(sink, stop).ConfigureAwait(false))
        {
            return;
        }

        for (var i = 0; i < symbols.Length; i++)
        {
            outbox.Subscribe(symbols[i].Id, request.Options, resumeFrom[i]);
        }

        Log.Opened(logger, symbols.Length, request.ModeName, resumed);
        using var expiry = request.TokenExpiresAt is { } expiresAt ? new CancellationTokenSource(Clamp(expiresAt - clock.GetUtcNow())) : null;
        using var ending = expiry is null ? null : CancellationTokenSource.CreateLinkedTokenSource(stop, expiry.Token);
        var token = ending?.Token ?? stop;
        try
        {
            await PumpAsync(outbox, sink, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Client went away, the server is stopping, or the token expired: end the response.
        }
        catch (InvalidOperationException ex)
        {
            // Never expected (an outbox item this stream cannot place); the client reconnects and resumes.
            Log.Failed(logger, ex);
        }

        if (expiry?.IsCancellationRequested == true)
        {
            Log.TokenExpired(logger);
        }

        Log.Closed(logger, sink.DataEvents);
    }

    private async Task PumpAsync(SessionOutbox outbox, SseEventSink sink, CancellationToken token)
    {
        // One timer source per heartbeat period (not per wait): the outbox's wake signal registers a
        // token once and reuses the registration until the token changes.
        var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(token);
        heartbeat.CancelAfter(options.HeartbeatInterval);
        try
        {
            while (true)
            {
                DrainStatus status;
                do
                {
                    status = outbox.Drain(sink);
                    if (!await WriteAsync(sink, token).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                while (status == DrainStatus.FrameFull);

                if (status is DrainStatus.Closed or DrainStatus.SlowConsumer)
                {
                    return;
                }

                try
                {
                    await outbox.WaitAsync(heartbeat.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    sink.AppendHeartbeat(outbox.GetFigures(), UnixNanos.Now(clock));
                    heartbeat.Dispose();
                    heartbeat = CancellationTokenSource.CreateLinkedTokenSource(token);
                    heartbeat.CancelAfter(options.HeartbeatInterval);
                }
            }
        }
        finally
        {
            heartbeat.Dispose();
        }
    }

    /// <summary>
    /// Maps the Last-Event-ID onto per-symbol resume positions. An id of this very stream resumes each
    /// symbol from its position (history replay, or a reset from the outbox); a symbol without a position
    /// in the id gets a plain snapshot; an id that is not of this stream resets every symbol (reason 3).
    /// </summary>
    private bool PlanResume(SseEventSink sink, out StreamPosition?[] resumeFrom)
    {
        var count = request.Symbols.Length;
        resumeFrom = new StreamPosition?[count];
        if (request.LastEventId is not { } id)
        {
            return false;
        }

        var epochs = new long[count];
        var seqs = new long[count];
        if (!SseEventId.TryParse(id, sink.SetHash, count, epochs, seqs))
        {
            Log.ResumeUnusable(logger);
            for (var i = 0; i < count; i++)
            {
                sink.ForceReset(i, ResetReason.UnknownPosition);
            }

            return true;
        }

        for (var i = 0; i < count; i++)
        {
            if (seqs[i] >= 0)
            {
                resumeFrom[i] = new StreamPosition(epochs[i], seqs[i]);
                sink.SetResumePosition(i, epochs[i], seqs[i]);
            }
        }

        return true;
    }

    private async ValueTask<bool> WriteAsync(SseEventSink sink, CancellationToken token)
    {
        var buffer = sink.Buffer;
        if (buffer.Length == 0)
        {
            return true;
        }

        var events = sink.DataEvents;
        var length = buffer.Length;
        // PipeWriter.WriteAsync copies and flushes: one flush per batch. It completes only when the
        // transport has room, which is what lets the outbox conflate behind a slow client.
        var result = await context.Response.BodyWriter.WriteAsync(buffer.WrittenMemory, token).ConfigureAwait(false);
        buffer.Clear();
        metrics.Written(events - _reportedEvents, length);
        _reportedEvents = events;
        return !result.IsCompleted && !result.IsCanceled;
    }

    private static TimeSpan Clamp(TimeSpan delay) =>
        delay <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : delay > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : delay;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "SSE stream opened: {Symbols} symbols, {Mode}, resumed {Resumed}")]
        public static partial void Opened(ILogger logger, int symbols, string mode, bool resumed);

        [LoggerMessage(2, LogLevel.Debug, "SSE stream closed after {Events} data events")]
        public static partial void Closed(ILogger logger, long events);

        [LoggerMessage(3, LogLevel.Information, "SSE Last-Event-ID is not an id of this stream; every symbol is reset")]
        public static partial void ResumeUnusable(ILogger logger);

        [LoggerMessage(4, LogLevel.Information, "SSE stream ended: its token expired")]
        public static partial void TokenExpired(ILogger logger);

        [LoggerMessage(5, LogLevel.Error, "SSE stream failed")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
