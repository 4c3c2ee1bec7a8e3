using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using MarketStream.Core.Sessions;
using MarketStream.Protocol;

namespace MarketStream.Server.Gateway;

internal sealed partial class GatewaySession
{
    /// <summary>First frame of a writer pass: enough for heartbeats, notices and a trickle of updates; stays off the large-object heap.</summary>
    private const int SmallFrameBytes = 16 * 1024;

    private long _nextHeartbeat;
    private long _nextLagCheck;
    private long _authDeadline;
    private long _tokenExpires;
    private long _timerDue;
    private int _timerFired;
    private bool _tokenWarned;
    private bool _lagWarned;
    private bool _sendBlocked;
    private long _lagNoticeMs = -1;
    private long _tokenNoticeMs = -1;

    private long ToTimestampTicks(TimeSpan span) => (long)(span.TotalSeconds * _context.Time.TimestampFrequency);

    /// <summary>
    /// The only sender (see the class remarks for the ordering rule), then the session's end. Each pass:
    /// check deadlines, then under the session lock take the queued control replies and drain the outbox
    /// into one Batch frame (with heartbeat and session notices first), then — lock released — send
    /// replies, then the frame. Once the writer is done (close frame sent, or the connection gone) the
    /// client gets a moment to answer the close so the handshake completes cleanly (RFC 6455 §7.1.1),
    /// then it is dropped, then the session is cleaned up. One state machine for all of it: the task
    /// <see cref="RunAsync"/> returns, parked on the outbox's wake signal while the session is idle.
    /// </summary>
    private async Task WriteUntilEndAsync(Task reader)
    {
        try
        {
            try
            {
                var now = _context.Time.GetTimestamp();
                _nextHeartbeat = now + ToTimestampTicks(Options.HeartbeatInterval);
                _nextLagCheck = now + ToTimestampTicks(LagCheckPeriod);
                ScheduleTimer(now);
                // While idle this loop is parked on the wait below, and its state machine holds none of a
                // pass's locals: those live in WritePassAsync, which completes synchronously unless a send
                // has to wait (pooled then). docs/operations.md, memory per connection.
                do
                {
                    await _outbox.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                }
                while (await WritePassAsync().ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
            {
                // The connection went away (reset, abort by the watchdog or shutdown); nothing more can be sent.
                SetEndCode(1006);
            }
            catch (Exception ex)
            {
                Log.SessionFailed(Logger, ex, Id);
                SetEndCode((int)CloseCode.InternalError);
                await TryCloseAsync((int)CloseCode.InternalError, "internal error").ConfigureAwait(false);
            }

            if (await Task.WhenAny(reader, Task.Delay(CloseHandshakeTimeout, _context.Time)).ConfigureAwait(false) != reader)
            {
                AbortConnection();
            }

            await reader.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.SessionFailed(Logger, ex, Id);
            SetEndCode((int)CloseCode.InternalError);
            AbortConnection();
        }
        finally
        {
            await CleanUpAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One writer pass; false once the writer is done (closed, or the connection is gone).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> WritePassAsync()
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            SetEndCode(1006);
            return false;
        }

        var now = _context.Time.GetTimestamp();
        var heartbeatDue = now >= _nextHeartbeat;
        OutboxFigures figures = default;
        // After a send that waited (previous pass), the lag is looked at whether or not a check is due.
        if (heartbeatDue || now >= _nextLagCheck || _sendBlocked)
        {
            figures = _outbox.GetFigures();
            CheckLag(now, figures);
        }

        CheckDeadlines(now);
        _sendBlocked = false;
        int closeCode;
        string closeReason;
        var status = DrainStatus.Empty;
        do
        {
            // The frame is built in a pooled buffer, returned once it is sent: an idle session
            // holds no frame buffer (docs/operations.md, memory per connection). A small one
            // first; a full-size one only while the previous frame came out full.
            var frameBytes = status == DrainStatus.FrameFull ? Options.MaxFrameBytes : Math.Min(SmallFrameBytes, Options.MaxFrameBytes);
            if (_sendBlocked)
            {
                // The last send waited for the client: time has passed, so the lag is checked again before more is
                // drained, and a client that resumes reading gets Notice 3 (or 4000) ahead of the current values.
                _sendBlocked = false;
                var resumed = _context.Time.GetTimestamp();
                CheckLag(resumed, _outbox.GetFigures());
                CheckDeadlines(resumed);
            }

            var buffer = ArrayPool<byte>.Shared.Rent(frameBytes);
            try
            {
                List<byte[]>? sending;
                lock (_subscriptions)
                {
                    // Take the list whole: the reader starts a new one for its next reply.
                    sending = _control;
                    _control = null;

                    closeCode = _closeCode;
                    closeReason = _closeReason;
                    _batch.Reset(buffer, frameBytes);
                    _sink.Begin();
                    AppendSessionMessages(heartbeatDue, figures);
                    heartbeatDue = false;
                    // Once closing, nothing more is streamed: the client reconnects and resumes (§2.4).
                    status = closeCode != 0 ? DrainStatus.Empty : _outbox.Drain(_sink);
                }

                if (sending is not null)
                {
                    foreach (var message in sending)
                    {
                        await SendAsync(message).ConfigureAwait(false);
                        _context.Metrics.FrameSent(0, message.Length);
                        Interlocked.Increment(ref _framesSent);
                    }
                }

                if (_batch.Count > 0)
                {
                    var (updates, merged) = (_sink.Updates, _sink.Merged);
                    var frame = _batch.Complete();
                    await SendAsync(frame.AsMemory()).ConfigureAwait(false);
                    _context.Metrics.FrameSent(updates, frame.Count, merged);
                    Interlocked.Increment(ref _framesSent);
                }
            }
            finally
            {
                _batch.Unbind();
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        while (status == DrainStatus.FrameFull);

        if (closeCode != 0)
        {
            await CloseAsync(closeCode, closeReason).ConfigureAwait(false);
            return false;
        }

        if (status == DrainStatus.SlowConsumer)
        {
            // Full mode with the close policy overflowed; the outbox drained its warning notice first (§4.16 code 3).
            Log.SlowConsumerClosed(Logger, Id, "full-mode queue overflow");
            RequestClose(CloseCode.SlowConsumer, "slow consumer");
            return true;
        }

        if (status == DrainStatus.Closed)
        {
            RequestClose(CloseCode.InternalError, "session closed");
            return true;
        }

        ScheduleTimer(now);
        return true;
    }

    private TimeSpan LagCheckPeriod => _context.Deadlines.CheckPeriod;

    /// <summary>Lag-based slow-consumer rule (docs/operations.md): Notice 3 at the warn lag, close 4000 at the close lag.</summary>
    private void CheckLag(long now, in OutboxFigures figures)
    {
        _nextLagCheck = now + ToTimestampTicks(LagCheckPeriod);
        if (figures.Lag >= Options.SlowConsumerCloseLag)
        {
            Log.SlowConsumerClosed(Logger, Id, "lag above SlowConsumerCloseLag");
            RequestClose(CloseCode.SlowConsumer, "slow consumer");
        }
        else if (figures.Lag >= Options.SlowConsumerWarnLag)
        {
            if (!_lagWarned)
            {
                _lagWarned = true;
                _lagNoticeMs = (long)(Options.SlowConsumerCloseLag - figures.Lag).TotalMilliseconds;
            }
        }
        else if (figures.Lag < Options.SlowConsumerWarnLag / 2)
        {
            _lagWarned = false;
        }
    }

    /// <summary>Silence (no byte, not even a pong) after which the session closes with 4006: a ping goes out after KeepAliveInterval, its pong is due within KeepAliveTimeout.</summary>
    private TimeSpan IdleLimit => _context.Deadlines.IdleLimit;

    private void CheckDeadlines(long now)
    {
        if (_activity is not null && _context.Time.GetElapsedTime(_activity.LastReceivedTimestamp, now) >= IdleLimit)
        {
            Log.KeepAliveTimedOut(Logger, Id, IdleLimit);
            RequestClose(CloseCode.IdleTimeout, "keep-alive timeout");
            return;
        }

        if (_grant is null && _authDeadline != 0 && now >= _authDeadline)
        {
            Log.AuthenticationTimedOut(Logger, Id);
            RequestClose(CloseCode.AuthenticationTimeout, "authentication timeout");
            return;
        }

        lock (_subscriptions)
        {
            if (_tokenExpires == 0)
            {
                return;
            }

            if (now >= _tokenExpires)
            {
                Log.TokenExpired(Logger, Id);
                if (_closeCode == 0)
                {
                    _closeCode = (int)CloseCode.TokenExpired;
                    _closeReason = "token expired";
                }
            }
            else if (!_tokenWarned && _tokenExpires - now <= ToTimestampTicks(TokenWarnLead))
            {
                _tokenWarned = true;
                _tokenNoticeMs = (long)_context.Time.GetElapsedTime(now, _tokenExpires).TotalMilliseconds;
            }
        }
    }

    /// <summary>Heartbeat (§4.15) and notices the session itself raises (§4.16 codes 3 and 4), in the frame before any update.</summary>
    private void AppendSessionMessages(bool heartbeat, in OutboxFigures figures)
    {
        if (heartbeat)
        {
            _nextHeartbeat = _context.Time.GetTimestamp() + ToTimestampTicks(Options.HeartbeatInterval);
            _batch.TryAppendHeartbeat(
                _context.UnixNanos(),
                figures.QueuedBytes,
                figures.QueuedUpdates,
                (long)figures.Lag.TotalMilliseconds,
                figures.UpdatesConflated);
        }

        if (_lagNoticeMs >= 0)
        {
            _batch.TryAppendNotice(NoticeCode.SlowConsumer, 0, _lagNoticeMs, "session lags; it will be closed as a slow consumer (4000) unless it catches up");
            _lagNoticeMs = -1;
        }

        if (_tokenNoticeMs >= 0)
        {
            _batch.TryAppendNotice(NoticeCode.TokenExpiring, 0, _tokenNoticeMs, "token expires soon; send a fresh Authenticate to stay connected");
            _tokenNoticeMs = -1;
        }
    }

    /// <summary>Next wake-up: heartbeat, lag check, auth deadline or token expiry, whichever is first.</summary>
    private void ScheduleTimer(long now)
    {
        var due = Math.Min(_nextHeartbeat, _nextLagCheck);
        if (_grant is null && _authDeadline != 0)
        {
            due = Math.Min(due, _authDeadline);
        }

        if (_activity is not null)
        {
            due = Math.Min(due, _activity.LastReceivedTimestamp + ToTimestampTicks(IdleLimit));
        }

        var expires = Volatile.Read(ref _tokenExpires);
        if (expires != 0)
        {
            var warnAt = expires - ToTimestampTicks(TokenWarnLead);
            due = Math.Min(due, !_tokenWarned && warnAt > now ? warnAt : expires);
        }

        // Re-arm unless the same due time is still pending: a one-shot timer that already fired (timers
        // may fire a fraction of a millisecond early, before the deadline they were set for) must be set again.
        var fired = Interlocked.Exchange(ref _timerFired, 0) == 1;
        if (!fired && due == _timerDue && _timerDue > now)
        {
            return;
        }

        _timerDue = due;
        // Rounded up by a millisecond so the wake-up lands after the deadline, not just before it.
        var delay = due <= now ? TimeSpan.Zero : _context.Time.GetElapsedTime(now, due) + TimeSpan.FromMilliseconds(1);
        _timer?.Change(delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Sends one binary message. A send that does not complete at once (socket full: the client is
    /// not reading) is stamped, so the timer's watchdog can drop the connection past the close lag.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(ReadOnlyMemory<byte> message)
    {
        var pending = _socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        if (pending.IsCompleted)
        {
            pending.GetAwaiter().GetResult();
            return;
        }

        MarkSendBlocked();
        try
        {
            await pending.ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Exchange(ref _sendStartedTimestamp, 0);
        }
    }

    /// <summary>
    /// Stamps a send that could not complete at once (the socket is full: the client is not reading) and arms
    /// the timer for the deadlines' next check, so the timer keeps enforcing them (<see cref="EnforceWhileBlocked"/>)
    /// for as long as the send stays blocked. The caller clears the stamp when the send completes.
    /// </summary>
    private void MarkSendBlocked()
    {
        var started = _context.Time.GetTimestamp();
        _sendBlocked = true;
        Interlocked.Exchange(ref _sendStartedTimestamp, started);
        // The timer now runs for the deadlines, not for the due time ScheduleTimer set: have it set again after.
        _timerDue = 0;
        _timer?.Change(_context.Deadlines.NextCheck(started, started, _activity?.LastReceivedTimestamp ?? 0), Timeout.InfiniteTimeSpan);
    }

    private async Task CloseAsync(int code, string reason)
    {
        SetEndCode(code);
        Log.Closing(Logger, Id, code, reason);
        await TryCloseAsync(code, reason).ConfigureAwait(false);
    }

    private async Task TryCloseAsync(int code, string reason)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
        try
        {
            // Cancelling a close whose write is stuck on a full socket does not end the write; the stamp lets the
            // timer drop the connection in that case (the end code is already recorded).
            var closing = _socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token);
            if (!closing.IsCompleted)
            {
                MarkSendBlocked();
            }

            await closing.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            AbortConnection();
        }
        finally
        {
            Interlocked.Exchange(ref _sendStartedTimestamp, 0);
        }
    }
}
