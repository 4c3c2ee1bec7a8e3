using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using MarketStream.Core.Sessions;
using MarketStream.Core.Symbols;
using MarketStream.Protocol;
using MarketStream.Server.Auth;

namespace MarketStream.Server.Gateway;

/// <summary>
/// One WebSocket connection speaking docs/protocol.md: a reader loop (requests, limits, auth) and a
/// writer loop (control replies, then the outbox drained into Batch frames, heartbeats, close). The
/// writer waits on the outbox's own wake signal, which everything else that needs it sets too
/// (<see cref="SessionOutbox.Wake"/>): one signal and no relay task per session (docs/operations.md,
/// memory per connection).
/// </summary>
/// <remarks>
/// <para><b>Only the writer sends.</b> A WebSocket allows one send at a time, and the order of what the
/// client sees must be decided in one place. The reader never touches the socket's send side: it
/// queues encoded control replies (acks, errors, Pong) in <see cref="_control"/> and wakes the writer.</para>
/// <para><b>Ordering rule (docs/protocol.md §4.2, §4.11, §4.12).</b> A SubscribeAck must precede the
/// first Snapshot or update of its symbols, and no update of a subscription may follow its
/// UnsubscribeAck. Both follow from one small per-session lock (on <see cref="_subscriptions"/>), that makes two
/// CPU-only steps mutually atomic: on the reader side "queue the SubscribeAck, then outbox.Subscribe"
/// (and "outbox.Unsubscribe, then queue the UnsubscribeAck"); on the writer side "take the queued
/// control replies, then Drain the outbox into a frame". The writer sends what it took in that order —
/// replies first, then the frame. A drain that sees a new subscription therefore runs after its ack
/// was queued, so the ack was taken by this writer step or an earlier one and goes out first; a drain
/// after an unsubscribe sees nothing of that symbol, and frames drained before it were sent before the
/// UnsubscribeAck that a later step takes. The lock is never held across an await (sends happen after
/// it is released) and the engine's fan-out thread never takes it — it only talks to the outbox.</para>
/// <para><b>Containment.</b> Every loop catches everything: a failure is logged once and ends this
/// session only (close 1011); it never reaches the server or another session.</para>
/// </remarks>
internal sealed partial class GatewaySession
{
    /// <summary>Malformed requests tolerated before close 1008 (docs/protocol.md §5: "keeps sending malformed messages").</summary>
    internal const int MaxMalformedMessages = 10;

    /// <summary>Queued control replies beyond which a client that does not read is treated as a slow consumer.</summary>
    internal const int MaxQueuedControlMessages = 1024;

    /// <summary>How long the writer waits for the client's close reply before aborting the connection.</summary>
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Token expiry is announced this long before (or at once if less is left), docs/protocol.md §1.3.</summary>
    private static readonly TimeSpan TokenWarnLead = TimeSpan.FromSeconds(30);

    /// <summary>The last grant whose patterns were parsed (<see cref="ParseEntitlements"/>).</summary>
    private static ParsedGrant? s_lastEntitlements;

    private readonly GatewayContext _context;
    private readonly WebSocket _socket;
    private readonly SessionRegistry _registry;
    private readonly SessionOutbox _outbox;
    // Also the session lock (lock (_subscriptions)): a Monitor on an object the session has anyway, where a
    // Lock would be one more object per connection (docs/operations.md, memory per connection). Never
    // locked by anything outside this class.
    private readonly SessionSubscriptions _subscriptions = new();
    // Control replies waiting for the writer; made on the first reply and handed to the writer whole, so
    // a session with nothing to answer holds no list (docs/operations.md, memory per connection).
    private List<byte[]>? _control;
    private readonly BatchWriter _batch;
    private readonly FrameSink _sink;
    private readonly long _startTimestamp;
    private readonly ReceiveActivity? _activity;
    private readonly ITransportAbort? _transport;
    private readonly UpgradePath _upgrade;
    private readonly IPAddress _remoteAddress;
    private ITimer? _timer;
    private volatile AccessGrant? _grant;
    private SymbolPattern[] _entitlements = [];
    private int _closeCode;
    private string _closeReason = "";
    private int _endCode;
    private long _framesSent;
    private long _sendStartedTimestamp;

    /// <summary>A session for an accepted WebSocket. The client's <see cref="ConnectionLimiter"/> slot for its address is already taken; the session gives it back when it ends.</summary>
    public GatewaySession(GatewayContext context, WebSocket socket, SessionRegistry registry, IPAddress remoteAddress, AccessGrant? grant, ReceiveActivity? activity = null, ITransportAbort? transport = null, UpgradePath upgrade = UpgradePath.Http)
    {
        _upgrade = upgrade;
        _activity = activity;
        _transport = transport;
        _context = context;
        _socket = socket;
        _registry = registry;
        Id = context.NextSessionId();
        _remoteAddress = remoteAddress;
        ConnectedAt = context.Time.GetUtcNow();
        _startTimestamp = context.Time.GetTimestamp();
        _outbox = context.Host.Engine.CreateOutbox(context.OutboxOptions);
        // No frame buffer of its own: each frame is built in a pooled buffer returned after its send (Writer.cs).
        _batch = new BatchWriter();
        _sink = new FrameSink(_batch, _subscriptions);
        if (grant is not null)
        {
            SetGrant(grant);
        }
        else
        {
            // Required mode without a handshake token: Authenticate must arrive in time (§1.3, close 4005).
            _authDeadline = _startTimestamp + ToTimestampTicks(context.Auth.AuthenticateTimeout);
        }
    }

    public string Id { get; }

    // Read through the context rather than copied into fields: two references less per connection.
    private GatewayOptions Options => _context.Options;

    private ILogger Logger => _context.Logger;

    /// <summary>
    /// The client's address as text, formatted on each call: <see cref="IPAddress.ToString"/> would keep the
    /// string inside the address for the connection's life (docs/operations.md, memory per connection).
    /// </summary>
    public string RemoteAddress
    {
        get
        {
            Span<char> text = stackalloc char[64];
            return _remoteAddress.TryFormat(text, out var written) ? new string(text[..written]) : _remoteAddress.ToString();
        }
    }

    public DateTimeOffset ConnectedAt { get; }

    /// <summary>Asks the writer to close the connection with <paramref name="code"/> (first request wins). Thread-safe.</summary>
    public void RequestClose(CloseCode code, string reason)
    {
        lock (_subscriptions)
        {
            if (_closeCode != 0)
            {
                return;
            }

            _closeCode = (int)code;
            _closeReason = reason;
        }

        _outbox.Wake();
    }

    /// <summary>Drops the connection without a close handshake (shutdown timeout).</summary>
    public void Abort()
    {
        SetEndCode(1006);
        AbortConnection();
        _outbox.Wake();
    }

    public SessionView GetView()
    {
        var figures = _outbox.GetFigures();
        int subscriptions, symbols;
        lock (_subscriptions)
        {
            subscriptions = _subscriptions.Count;
            symbols = _subscriptions.SymbolCount;
        }

        return new SessionView(
            Id,
            RemoteAddress,
            _grant?.Subject ?? "",
            ConnectedAt,
            subscriptions,
            symbols,
            (long)figures.Lag.TotalMilliseconds,
            figures.QueuedBytes,
            figures.QueuedUpdates,
            figures.UpdatesSent,
            figures.MergedSent,
            Interlocked.Read(ref _framesSent),
            _upgrade);
    }

    /// <summary>
    /// Runs the session to its end. Never throws. The task returned is the writer's own (see
    /// <see cref="WriteUntilEndAsync"/>): the connection's caller awaits it directly, so an idle session
    /// keeps two suspended state machines (reader and writer), not a third one waiting for both.
    /// </summary>
    public Task RunAsync()
    {
        _context.Metrics.SessionOpened();
        if (Logger.IsEnabled(LogLevel.Debug))
        {
            Log.SessionStarted(Logger, Id, RemoteAddress, _grant?.Subject ?? "(unauthenticated)");
        }
        Task reader;
        try
        {
            SendWelcome();
            _registry.Add(this);
            _timer = _context.Time.CreateTimer(static s => ((GatewaySession)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            // Runs until its first receive waits (at once for an idle client); it never throws.
            reader = ReaderLoopAsync();
        }
        catch (Exception ex)
        {
            Log.SessionFailed(Logger, ex, Id);
            SetEndCode((int)CloseCode.InternalError);
            AbortConnection();
            return CleanUpAsync();
        }

        return WriteUntilEndAsync(reader);
    }

    private async Task CleanUpAsync()
    {
        _registry.Remove(this);
        _context.Limiter.Release(_remoteAddress);
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        int symbols;
        lock (_subscriptions)
        {
            symbols = _subscriptions.SymbolCount;
            _closed = true;
            // Disposed under the session lock so no reader step can subscribe a disposed outbox half-way.
            _outbox.Dispose();
        }

        _context.Metrics.SubscriptionsChanged(-symbols);
        var code = Volatile.Read(ref _endCode);
        _context.Metrics.SessionClosed(code == 0 ? 1006 : code);
        Log.SessionEnded(Logger, Id, code == 0 ? 1006 : code, Interlocked.Read(ref _framesSent));
        _socket.Dispose();
    }

    private void OnTimer()
    {
        Volatile.Write(ref _timerFired, 1);
        var started = Interlocked.Read(ref _sendStartedTimestamp);
        if (started != 0)
        {
            try
            {
                EnforceWhileBlocked(started);
            }
            catch (Exception ex)
            {
                // A timer callback must not throw (it would end the process): end this session only.
                Log.SessionFailed(Logger, ex, Id);
                SetEndCode((int)CloseCode.InternalError);
                AbortConnection();
            }
        }

        _outbox.Wake();
    }

    /// <summary>
    /// The writer is inside a send that has not completed: the client is not reading and its socket is full,
    /// so the writer loop cannot run its own checks and no close frame can get through. The timer enforces
    /// the deadlines itself (<see cref="SessionDeadlines"/>): past one, the connection is dropped with the end
    /// code recorded (metrics, log); otherwise it wakes again before the next deadline falls due.
    /// </summary>
    private void EnforceWhileBlocked(long started)
    {
        var deadlines = _context.Deadlines;
        var now = _context.Time.GetTimestamp();
        var lastReceived = _activity?.LastReceivedTimestamp ?? 0;
        var verdict = deadlines.Check(now, started, _outbox.GetFigures().Lag, lastReceived);
        if (verdict == BlockedVerdict.None)
        {
            // Re-armed only while that same send is still blocked; once it completes, the writer schedules the timer.
            var delay = deadlines.NextCheck(now, started, lastReceived);
            if (Interlocked.Read(ref _sendStartedTimestamp) == started)
            {
                _timer?.Change(delay, Timeout.InfiniteTimeSpan);
            }

            return;
        }

        var code = verdict == BlockedVerdict.Silent ? (int)CloseCode.IdleTimeout : (int)CloseCode.SlowConsumer;
        if (SetEndCode(code))
        {
            switch (verdict)
            {
                case BlockedVerdict.SendBlocked:
                    Log.SlowConsumerAborted(Logger, Id, deadlines.CloseLag);
                    break;
                case BlockedVerdict.LagPastClose:
                    Log.SlowConsumerLagAborted(Logger, Id, deadlines.CloseLag);
                    break;
                default:
                    Log.KeepAliveAborted(Logger, Id, deadlines.IdleLimit);
                    break;
            }
        }

        AbortConnection();
    }

    /// <summary>
    /// Drops the connection. Aborting the WebSocket alone does not end a send blocked on a full socket
    /// (the server's output pipe is waiting for the client), so the HTTP connection is aborted too.
    /// </summary>
    private void AbortConnection()
    {
        _socket.Abort();
        _transport?.AbortTransport();
    }

    /// <summary>Records what ended the session (first one wins) for metrics and logs.</summary>
    private bool SetEndCode(int code) => Interlocked.CompareExchange(ref _endCode, code, 0) == 0;

    private void SetGrant(AccessGrant grant)
    {
        var entitlements = ParseEntitlements(grant);
        var expires = 0L;
        if (grant.ExpiresAt is { } at)
        {
            var left = at - _context.Time.GetUtcNow();
            expires = _context.Time.GetTimestamp() + Math.Max(1, ToTimestampTicks(left < TimeSpan.Zero ? TimeSpan.Zero : left));
        }

        lock (_subscriptions)
        {
            _entitlements = entitlements;
            _tokenWarned = false;
            _tokenExpires = expires;
        }

        _grant = grant;
    }

    /// <summary>
    /// The grant's symbol patterns, parsed (entitlements that do not parse grant nothing). Sessions that share a
    /// grant object (anonymous mode: one for all) share the array too, through a one-entry cache: the array is
    /// never written after this, and an idle session then holds none of its own.
    /// </summary>
    private static SymbolPattern[] ParseEntitlements(AccessGrant grant)
    {
        if (Volatile.Read(ref s_lastEntitlements) is { } last && ReferenceEquals(last.Grant, grant))
        {
            return last.Patterns;
        }

        var entitlements = new List<SymbolPattern>(grant.SymbolPatterns.Count);
        foreach (var text in grant.SymbolPatterns)
        {
            if (SymbolPattern.TryParse(text, out var pattern, out _))
            {
                entitlements.Add(pattern);
            }
        }

        SymbolPattern[] patterns = [.. entitlements];
        Volatile.Write(ref s_lastEntitlements, new ParsedGrant(grant, patterns));
        return patterns;
    }

    private void Enqueue(byte[] message)
    {
        lock (_subscriptions)
        {
            EnqueueLocked(message);
        }

        _outbox.Wake();
    }

    private void EnqueueLocked(byte[] message)
    {
        (_control ??= []).Add(message);
        if (_control.Count > MaxQueuedControlMessages && _closeCode == 0)
        {
            // A client that sends requests but never reads the answers.
            _closeCode = (int)CloseCode.SlowConsumer;
            _closeReason = "too many unread replies";
        }
    }

    private sealed record ParsedGrant(AccessGrant Grant, SymbolPattern[] Patterns);
}
