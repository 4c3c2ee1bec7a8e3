using System.Buffers;
using System.Net.WebSockets;
using MarketStream.Feeds.Hosting;
using MarketStream.Feeds.Validation;
using MarketStream.Model;
using MarketStream.Protocol;
using MarketStream.Server.Auth;
using MessagePack;

namespace MarketStream.Server.Ingest;

/// <summary>
/// One publisher connection on <c>/ingest</c> (docs/feeds.md, ingest endpoint): Welcome, then a
/// single loop that reads a message, answers it and reads the next, so replies never race. Each
/// IngestTicks message is decoded as hostile input, every tick resolved and validated by this
/// connection's own <see cref="TickValidator"/> (its exchange-time ordering state is per
/// producer), and only then are the accepted ticks claimed and published — a claimed ring slot
/// must always be published, so nothing that can fail happens between claim and publish.
/// </summary>
internal sealed partial class IngestSession : IDisposable
{
    /// <summary>Consecutive undecodable messages tolerated before close 1008 (docs/protocol.md §5).</summary>
    public const int MaxConsecutiveMalformed = 10;

    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly string _sessionId;
    private readonly TokenService _tokens;
    private readonly TickPublisher _publisher;
    private readonly TickValidator _validator;
    private readonly IngestMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly IngestSettings _settings;
    private readonly DecoderLimits _limits;
    private readonly ArrayBufferWriter<byte> _output = new(256);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Tick[] _staging;
    private readonly IngestReject[] _rejects;
    private readonly TickBudget _budget;
    private byte[] _input;
    private AccessGrant? _grant;
    private int _malformedStreak;
    private CancellationToken _claimStop;

    public IngestSession(WebSocket socket, string sessionId, AccessGrant? grant, IngestSettings settings, TokenService tokens, TickPublisher publisher, TickValidator validator, IngestMetrics metrics, TimeProvider clock, ILogger logger)
    {
        _socket = socket;
        _sessionId = sessionId;
        _grant = grant;
        _settings = settings;
        _tokens = tokens;
        _publisher = publisher;
        _validator = validator;
        _metrics = metrics;
        _clock = clock;
        _logger = logger;
        _staging = new Tick[settings.MaxTicksPerMessage];
        _rejects = new IngestReject[settings.MaxTicksPerMessage];
        _budget = new TickBudget(settings.MaxTicksPerSecond, clock);
        _input = ArrayPool<byte>.Shared.Rent(Math.Min(settings.MaxMessageBytes, 64 * 1024));
        _limits = new DecoderLimits
        {
            MaxMessageBytes = settings.MaxMessageBytes,
            // The tick list is the only long array; its own limit (MaxTicksPerMessage) is checked after decoding with a clearer message.
            MaxCollectionLength = Math.Max(DecoderLimits.ClientInput.MaxCollectionLength, settings.MaxTicksPerMessage + 1),
        };
    }

    /// <summary>
    /// Runs the session until the publisher leaves or the session is closed. <paramref name="aborted"/>
    /// is the connection's abort token; <paramref name="stopping"/> (server shutdown) and the
    /// Authenticate deadline close the session with a close frame instead of cancelling the pending
    /// receive, because cancelling a WebSocket receive aborts the socket and the publisher would never
    /// see the documented close code.
    /// </summary>
    public async Task RunAsync(bool handshakeHadToken, CancellationToken aborted, CancellationToken stopping)
    {
        // A token presented with the handshake must already carry the publisher role; without one,
        // the publisher has AuthenticateTimeout to send Authenticate (an anonymous grant never publishes).
        var authenticated = handshakeHadToken && _grant is not null;
        if (!authenticated)
        {
            _grant = null;
        }

        await SendAsync(WriteWelcome(authenticated), aborted).ConfigureAwait(false);
        if (authenticated)
        {
            if (!_grant!.MayPublish)
            {
                await RefuseAsync(0, ErrorCode.IngestNotPermitted, "token lacks the publisher role", CloseCode.AuthenticationFailed, aborted).ConfigureAwait(false);
                return;
            }

            await SendAsync(WriteAuthenticated(0), aborted).ConfigureAwait(false);
        }

        using var deadline = authenticated ? null : _clock.CreateTimer(
            static state =>
            {
                var session = (IngestSession)state!;
                if (Volatile.Read(ref session._grant) is null)
                {
                    _ = session.CloseSoonAsync(CloseCode.AuthenticationTimeout, "no Authenticate within the deadline");
                }
            },
            this,
            _settings.AuthenticateTimeout,
            Timeout.InfiniteTimeSpan);
        // A claim waiting for ring room must also give up when the server stops (the pipeline is draining).
        using var claimStop = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping);
        _claimStop = claimStop.Token;
        using var onStopping = stopping.UnsafeRegister(static state => _ = ((IngestSession)state!).CloseSoonAsync(CloseCode.GoingAway, "server shutting down"), this);
        while (true)
        {
            var length = await ReceiveAsync(aborted).ConfigureAwait(false);
            if (length == ReceiveClosed)
            {
                return;
            }

            if (length == ReceiveText)
            {
                _metrics.MessageRejected((int)ErrorCode.TextFrameNotSupported);
                await RefuseAsync(0, ErrorCode.TextFrameNotSupported, "text frames are not supported; send binary MessagePack", CloseCode.UnsupportedData, aborted).ConfigureAwait(false);
                return;
            }

            if (length == ReceiveTooBig)
            {
                _metrics.MessageRejected((int)ErrorCode.MessageTooLarge);
                await CloseAsync(CloseCode.MessageTooBig, "message exceeds maxMessageBytes", aborted).ConfigureAwait(false);
                return;
            }

            if (!await HandleAsync(length, aborted).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Sends a close frame from outside the read loop (deadline, shutdown), then gives the publisher
    /// <see cref="CloseTimeout"/> to answer before the socket is aborted; the read loop ends when the
    /// publisher's close frame (or the abort) arrives.
    /// </summary>
    private async Task CloseSoonAsync(CloseCode code, string reason)
    {
        try
        {
            await CloseAsync(code, reason, CancellationToken.None).ConfigureAwait(false);
            await Task.Delay(CloseTimeout, _clock).ConfigureAwait(false);
            if (_socket.State != WebSocketState.Closed)
            {
                _socket.Abort();
            }
        }
        catch (ObjectDisposedException)
        {
            // The session ended meanwhile.
        }
    }

    public void Dispose()
    {
        _sendLock.Dispose();
        ArrayPool<byte>.Shared.Return(_input);
        _input = [];
    }

    /// <summary>Answers one message; false when the session was closed.</summary>
    private async ValueTask<bool> HandleAsync(int length, CancellationToken stop)
    {
        if (!ClientMessageReader.TryRead(_input.AsMemory(0, length), _limits, out var message, out var error))
        {
            _metrics.MessageRejected((int)error.Code);
            Log.Malformed(_logger, _sessionId, (int)error.Code);
            await SendAsync(WriteError(error.RequestId, error.Code, error.Message), stop).ConfigureAwait(false);
            if (++_malformedStreak >= MaxConsecutiveMalformed)
            {
                await CloseAsync(CloseCode.PolicyViolation, "too many malformed messages", stop).ConfigureAwait(false);
                return false;
            }

            return true;
        }

        _malformedStreak = 0;
        switch (message)
        {
            case IngestTicksRequest ingest:
                if (_grant is null || !_grant.MayPublish)
                {
                    _validator.Counts.Add(IngestRejectCode.NotPermitted, ingest.Ticks.Count);
                    _metrics.MessageRejected((int)ErrorCode.IngestNotPermitted);
                    await RefuseAsync(ingest.RequestId, ErrorCode.IngestNotPermitted, "anonymous publishers are refused; authenticate with a publisher token", CloseCode.AuthenticationFailed, stop).ConfigureAwait(false);
                    return false;
                }

                if (_grant.ExpiresAt is { } expires && expires <= _clock.GetUtcNow())
                {
                    _validator.Counts.Add(IngestRejectCode.NotPermitted, ingest.Ticks.Count);
                    await RefuseAsync(ingest.RequestId, ErrorCode.TokenExpired, "token expired", CloseCode.TokenExpired, stop).ConfigureAwait(false);
                    return false;
                }

                await IngestAsync(ingest, stop).ConfigureAwait(false);
                return true;

            case AuthenticateRequest auth:
                return await AuthenticateAsync(auth, stop).ConfigureAwait(false);

            case PingRequest ping:
                await SendAsync(WritePong(ping), stop).ConfigureAwait(false);
                return true;

            default:
                _metrics.MessageRejected((int)ErrorCode.UnknownMessageType);
                await SendAsync(WriteError(message!.RequestId, ErrorCode.UnknownMessageType, "/ingest accepts only Authenticate, Ping and IngestTicks"), stop).ConfigureAwait(false);
                return true;
        }
    }

    private async ValueTask<bool> AuthenticateAsync(AuthenticateRequest auth, CancellationToken stop)
    {
        var (grant, failure) = await _tokens.ValidateAsync(auth.Token).ConfigureAwait(false);
        if (grant is null)
        {
            var expired = failure == AuthFailure.Expired;
            await RefuseAsync(auth.RequestId, expired ? ErrorCode.TokenExpired : ErrorCode.InvalidToken, expired ? "token expired" : "token rejected", CloseCode.AuthenticationFailed, stop).ConfigureAwait(false);
            return false;
        }

        if (!grant.MayPublish)
        {
            _metrics.MessageRejected((int)ErrorCode.IngestNotPermitted);
            await RefuseAsync(auth.RequestId, ErrorCode.IngestNotPermitted, "token lacks the publisher role", CloseCode.AuthenticationFailed, stop).ConfigureAwait(false);
            return false;
        }

        if (_grant is not null && _grant.Subject != grant.Subject)
        {
            await SendAsync(WriteError(auth.RequestId, ErrorCode.AlreadyAuthenticated, "already authenticated as another subject"), stop).ConfigureAwait(false);
            return true;
        }

        // A fresh token for the same subject extends the session (docs/protocol.md §1.3).
        Volatile.Write(ref _grant, grant);
        Log.Authenticated(_logger, _sessionId, grant.Subject);
        await SendAsync(WriteAuthenticated(auth.RequestId), stop).ConfigureAwait(false);
        return true;
    }

    private async ValueTask IngestAsync(IngestTicksRequest request, CancellationToken stop)
    {
        var ticks = request.Ticks;
        if (ticks.Count > _staging.Length)
        {
            _metrics.MessageRejected((int)ErrorCode.CollectionTooLarge);
            await SendAsync(WriteError(request.RequestId, ErrorCode.CollectionTooLarge, $"at most {_staging.Length} ticks per message"), stop).ConfigureAwait(false);
            return;
        }

        // Validate everything first (the validator counts each refusal by reason), staging accepted
        // ticks and noting each refused one with its index (docs/protocol.md §4.20).
        var allowed = _budget.Take(ticks.Count);
        var accepted = 0;
        var rejected = 0;
        for (var i = 0; i < ticks.Count; i++)
        {
            var reason = Check(ticks[i], i < allowed, ref _staging[accepted]);
            if (reason == IngestRejectCode.None)
            {
                accepted++;
            }
            else
            {
                _rejects[rejected++] = new IngestReject(i, reason);
            }
        }

        var published = Publish(accepted, _claimStop);
        if (rejected > 0)
        {
            Log.TicksRejected(_logger, _sessionId, rejected, ticks.Count);
        }

        // One answer per message: the accepted count and every refused tick's index and code.
        await SendAsync(WriteIngestAck(request.RequestId, published, rejected), stop).ConfigureAwait(false);
    }

    /// <summary>Decoder verdict, then tick budget, then symbol and validator; stages the tick into <paramref name="staged"/> when accepted.</summary>
    private IngestRejectCode Check(in IngestTick input, bool withinBudget, ref Tick staged)
    {
        if (input.Reject != IngestRejectCode.None)
        {
            return _validator.Reject((IngestRejectCode)input.Reject);
        }

        if (!withinBudget)
        {
            return _validator.Reject(IngestRejectCode.RateLimited);
        }

        var reason = _validator.ResolveSymbol(input.Symbol, out var symbolId);
        if (reason != IngestRejectCode.None)
        {
            return reason;
        }

        staged = input.Tick;
        staged.SymbolId = symbolId;
        // The server assigns epoch, seq and server time (docs/protocol.md §4.17).
        staged.Epoch = 0;
        staged.Seq = 0;
        staged.ServerTimeNs = 0;
        return _validator.Validate(in staged);
    }

    /// <summary>Claims ring slots in batches, copies the staged ticks in, stamps receive time, publishes.</summary>
    private int Publish(int count, CancellationToken stop)
    {
        var done = 0;
        while (done < count)
        {
            var n = _publisher.Claim(count - done, stop, out var low);
            if (n == 0)
            {
                break; // stopping: nothing was claimed
            }

            var now = TickPublisher.NowNs();
            for (var j = 0; j < n; j++)
            {
                ref var slot = ref _publisher[low + j];
                slot = _staging[done + j];
                slot.ReceiveTimeNs = now;
            }

            _publisher.Publish(low, n);
            done += n;
        }

        return done;
    }

    private const int ReceiveClosed = -1;
    private const int ReceiveText = -2;
    private const int ReceiveTooBig = -3;

    private async ValueTask<int> ReceiveAsync(CancellationToken token)
    {
        var length = 0;
        while (true)
        {
            if (length == _input.Length)
            {
                if (_input.Length >= _settings.MaxMessageBytes)
                {
                    return ReceiveTooBig;
                }

                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_input.Length * 2, _settings.MaxMessageBytes));
                _input.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_input);
                _input = bigger;
            }

            var limit = Math.Min(_input.Length, _settings.MaxMessageBytes);
            var result = await _socket.ReceiveAsync(_input.AsMemory(length, limit - length), token).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await CloseAsync(CloseCode.Normal, "", CancellationToken.None).ConfigureAwait(false);
                return ReceiveClosed;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return result.MessageType == WebSocketMessageType.Text ? ReceiveText : length;
            }

            if (length >= _settings.MaxMessageBytes)
            {
                return ReceiveTooBig;
            }
        }
    }

    private async ValueTask RefuseAsync(long requestId, ErrorCode code, string text, CloseCode close, CancellationToken stop)
    {
        Log.Refused(_logger, _sessionId, (int)code, (int)close);
        await SendAsync(WriteError(requestId, code, text), stop).ConfigureAwait(false);
        await CloseAsync(close, text, stop).ConfigureAwait(false);
    }

    internal async ValueTask CloseAsync(CloseCode code, string reason, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(CloseTimeout);
        try
        {
            // Sends come from the read loop and, for deadline and shutdown closes, from a timer: one at a time (RFC 6455 frames must not interleave).
            await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    // Close reasons are at most 123 UTF-8 bytes (RFC 6455 §5.5).
                    await _socket.CloseOutputAsync((WebSocketCloseStatus)(int)code, reason.Length > 120 ? reason[..120] : reason, timeout.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The peer is gone already; nothing more to tell it.
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken stop)
    {
        await _sendLock.WaitAsync(stop).ConfigureAwait(false);
        try
        {
            // After a close frame went out (deadline, shutdown) nothing more may be sent.
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, stop).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendLock.Release();
            _output.ResetWrittenCount();
        }
    }

    private ReadOnlyMemory<byte> WriteWelcome(bool authenticated)
    {
        var writer = new MessagePackWriter(_output);
        ServerMessageWriter.WriteWelcome(ref writer, new WelcomeMessage(
            WireProtocol.Version,
            _sessionId,
            NowNs(),
            authenticated ? 0 : (int)_settings.AuthenticateTimeout.TotalMilliseconds,
            _settings.MaxMessageBytes,
            0,
            0,
            _settings.MaxFrameBytes,
            0));
        writer.Flush();
        return _output.WrittenMemory;
    }

    private ReadOnlyMemory<byte> WriteAuthenticated(long requestId)
    {
        var writer = new MessagePackWriter(_output);
        var expires = _grant!.ExpiresAt is { } at ? UnixNanos.From(at) : 0;
        ServerMessageWriter.WriteAuthenticated(ref writer, requestId, _grant.Subject, expires);
        writer.Flush();
        return _output.WrittenMemory;
    }

    private ReadOnlyMemory<byte> WritePong(PingRequest ping)
    {
        var writer = new MessagePackWriter(_output);
        ServerMessageWriter.WritePong(ref writer, ping.RequestId, ping.ClientTimeNs, NowNs());
        writer.Flush();
        return _output.WrittenMemory;
    }

    private ReadOnlyMemory<byte> WriteError(long requestId, ErrorCode code, string text)
    {
        var writer = new MessagePackWriter(_output);
        ServerMessageWriter.WriteError(ref writer, requestId, code, text);
        writer.Flush();
        return _output.WrittenMemory;
    }

    private ReadOnlyMemory<byte> WriteIngestAck(long requestId, int accepted, int rejected)
    {
        var writer = new MessagePackWriter(_output);
        ServerMessageWriter.WriteIngestAck(ref writer, requestId, accepted, _rejects.AsSpan(0, rejected));
        writer.Flush();
        return _output.WrittenMemory;
    }

    private long NowNs() => UnixNanos.Now(_clock);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Ingest session {SessionId} authenticated as {Subject}")]
        public static partial void Authenticated(ILogger logger, string sessionId, string subject);

        [LoggerMessage(2, LogLevel.Information, "Ingest session {SessionId}: {Rejected} of {Total} ticks rejected")]
        public static partial void TicksRejected(ILogger logger, string sessionId, int rejected, int total);

        [LoggerMessage(3, LogLevel.Information, "Ingest session {SessionId} sent an undecodable message (error {Code})")]
        public static partial void Malformed(ILogger logger, string sessionId, int code);

        [LoggerMessage(4, LogLevel.Information, "Ingest session {SessionId} refused with error {Code}, close {CloseCode}")]
        public static partial void Refused(ILogger logger, string sessionId, int code, int closeCode);
    }
}
