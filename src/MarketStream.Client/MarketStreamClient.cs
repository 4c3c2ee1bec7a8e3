using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Threading.Channels;
using MarketStream.Client.Internal;
using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Client;

/// <summary>
/// A MarketStream client (docs/protocol.md, docs/client.md): one WebSocket session at a time, kept alive
/// across drops by reconnecting with backoff and resuming every symbol from its last (epoch, seq).
/// Everything that happens arrives, in order, as <see cref="MarketEvent"/>s on <see cref="Events"/>
/// (or <see cref="ReadEventsAsync"/>); <see cref="Book"/> holds the latest state of every symbol.
/// </summary>
/// <example>
/// <code>
/// await using var client = new MarketStreamClient(new() { Url = new Uri("ws://127.0.0.1:5000/ws") });
/// await client.ConnectAsync();
/// await client.SubscribeAsync(["AAPL", "EUR*"]);
/// await foreach (var e in client.ReadEventsAsync()) { … }
/// </code>
/// </example>
/// <remarks>
/// <para><b>Bounded.</b> <see cref="Events"/> holds at most <see cref="MarketStreamClientOptions.EventCapacity"/>
/// events. When it is full the receive loop stops reading the socket until the consumer catches up; the
/// server then sees a slow reader and conflates (Merged events with count &gt; 1), or, for full-mode
/// subscriptions, degrades them (Notice 1) or closes with 4000 (after Notice 3), after which the client
/// reconnects and resumes. Acks are read from the same stream, so a consumer that never reads also stalls
/// <see cref="SubscribeAsync"/> once the channel is full.</para>
/// <para><b>Threads.</b> Subscribe, unsubscribe and ping may be called from any thread. One background task
/// receives, decodes, keeps the book and reconnects; <see cref="DisposeAsync"/> ends it.</para>
/// </remarks>
public sealed partial class MarketStreamClient : IAsyncDisposable
{
    private readonly MarketStreamClientOptions _options;
    private readonly Channel<MarketEvent> _events;
    private readonly StreamDecoder _decoder;
    private readonly FrameReceiver _receiver = new();
    private readonly EventBuffer _frameEvents = new();
    private readonly List<ServerMessageBody> _control = [];
    private readonly Lock _sync = new();
    private readonly Dictionary<long, ActiveSubscription> _subscriptions = [];
    private readonly Dictionary<long, TaskCompletionSource<ServerMessageBody>> _pending = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly SocketsHttpHandler _handler;
    private readonly HttpMessageInvoker _invoker;
    private ClientWebSocket? _socket;
    private Task? _run;
    private long _nextRequestId;
    private int _started;
    private int _disposed;

    /// <summary>Creates a client; nothing connects until <see cref="ConnectAsync"/>.</summary>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public MarketStreamClient(MarketStreamClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Book = new MarketBook();
        _decoder = new StreamDecoder(Book);
        _events = Channel.CreateBounded<MarketEvent>(new BoundedChannelOptions(options.EventCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });
        var receiveBuffer = options.ReceiveBufferBytes;
        _handler = new SocketsHttpHandler
        {
            // NoDelay: requests are tiny and latency matters; the receive buffer bounds data in flight to a slow consumer.
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    if (receiveBuffer is { } bytes)
                    {
                        socket.ReceiveBufferSize = bytes;
                    }

                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
    }

    /// <summary>Latest state of every subscribed symbol.</summary>
    public MarketBook Book { get; }

    /// <summary>Every event in stream order; completes when the client is disposed, or faults with a <see cref="MarketStreamException"/> when the session ends for good.</summary>
    public ChannelReader<MarketEvent> Events => _events.Reader;

    /// <summary>The current session, or the last one while reconnecting; null before the first connect.</summary>
    public ConnectionInfo? Connection { get; private set; }

    /// <summary>True while a session is open.</summary>
    public bool IsConnected => Volatile.Read(ref _socket) is not null;

    /// <summary>Successful reconnects so far.</summary>
    public int Reconnects { get; private set; }

    /// <summary>Times the receive loop waited because <see cref="Events"/> was full (the consumer fell behind).</summary>
    public long BackpressureWaits { get; private set; }

    /// <summary>Active subscriptions as last acknowledged.</summary>
    public IReadOnlyList<Subscription> Subscriptions
    {
        get
        {
            lock (_sync)
            {
                var list = new List<Subscription>(_subscriptions.Count);
                foreach (var s in _subscriptions.Values)
                {
                    if (s.Acknowledged is { } ack)
                    {
                        list.Add(ack);
                    }
                }

                return list;
            }
        }
    }

    /// <summary>The background receive/reconnect task (tests check that disposal ends it).</summary>
    internal Task? BackgroundTask => _run;

    /// <summary>Every event as an async stream (see <see cref="Events"/>).</summary>
    public IAsyncEnumerable<MarketEvent> ReadEventsAsync(CancellationToken cancellationToken = default) => _events.Reader.ReadAllAsync(cancellationToken);

    /// <summary>
    /// Opens the first session: TCP connect, WebSocket upgrade with the subprotocol (and token), Welcome.
    /// Does not retry: a server that is down or refuses the handshake is reported at once. Later drops
    /// are handled by the background task.
    /// </summary>
    /// <exception cref="MarketStreamException">Connect failed, timed out, or the server refused the upgrade (<see cref="MarketStreamException.HttpStatus"/>).</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("ConnectAsync was already called; the client reconnects by itself.");
        }

        try
        {
            var (socket, welcome) = await OpenAsync(cancellationToken).ConfigureAwait(false);
            Connection = new ConnectionInfo(welcome, 0);
            lock (_sync)
            {
                _socket = socket;
            }

            await EmitAsync(new MarketEvent(MarketEventKind.Connected, null, 0, 0, 0, 0, 0, default, UnixNanos.Now(), Connection), cancellationToken).ConfigureAwait(false);
            _run = Task.Run(() => RunAsync(socket, _stop.Token), CancellationToken.None);
        }
        catch
        {
            Volatile.Write(ref _started, 0);
            throw;
        }
    }

    /// <summary>
    /// Subscribes to <paramref name="symbols"/> (names or patterns: <c>*</c>, <c>EUR*</c>; docs/protocol.md §2.1)
    /// and waits for the server's ack. Snapshots and updates then arrive on <see cref="Events"/>. The
    /// subscription is renewed (with resume) after every reconnect until <see cref="UnsubscribeAsync"/>.
    /// </summary>
    /// <param name="symbols">1–4096 names or patterns.</param>
    /// <param name="mode">Conflated (default: the latest value, merged when the reader is slow) or full (every update).</param>
    /// <param name="maxRateMs">At most one update per symbol per this many ms (0 = unlimited; 0–86,400,000).</param>
    /// <param name="maxLagMs">Full mode: merge to catch up when the oldest queued update is older than this (0 = never).</param>
    /// <param name="cancellationToken">Stops waiting (the subscription is then withdrawn).</param>
    /// <exception cref="MarketStreamException">The server refused it (<see cref="MarketStreamException.ErrorCode"/>: 1006 invalid symbol, 1008 unknown, 2003 not entitled, 3000/3002 limits…), or no answer within <see cref="MarketStreamClientOptions.RequestTimeout"/>.</exception>
    public async Task<Subscription> SubscribeAsync(IEnumerable<string> symbols, SubscriptionMode mode = SubscriptionMode.Conflated, int maxRateMs = 0, int maxLagMs = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        string[] list = [.. symbols];
        if (list.Length is 0 or > 4096)
        {
            throw new ArgumentException("Subscribe needs 1–4096 symbols or patterns (docs/protocol.md §4.2).", nameof(symbols));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxRateMs);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLagMs);
        EnsureStarted();
        var subscription = new ActiveSubscription(NextRequestId(), list, mode, maxRateMs, maxLagMs);
        var answer = Register(subscription.Id);
        ClientWebSocket? socket;
        lock (_sync)
        {
            _subscriptions.Add(subscription.Id, subscription);
            socket = _socket;
        }

        // While reconnecting (socket null) the reconnect sends it with the others.
        try
        {
            if (socket is not null)
            {
                await SendAsync(socket, subscription.ToRequest([]), cancellationToken).ConfigureAwait(false);
            }

            var body = await AwaitAsync(subscription.Id, answer, cancellationToken).ConfigureAwait(false);
            return subscription.Acknowledged ?? throw new MarketStreamException($"subscription {subscription.Id} ended before its ack was seen");
        }
        catch (MarketStreamException ex) when (ex.ErrorCode != ErrorCode.None)
        {
            Withdraw(subscription.Id);
            throw;
        }
        catch
        {
            // Cancelled or timed out: withdraw, so a late ack does not leave a subscription nobody tracks.
            if (Withdraw(subscription.Id) is not null && socket is not null)
            {
                await TryUnsubscribeQuietlyAsync(subscription.Id).ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Ends a subscription and waits for the server's ack; no update of it follows. Its symbols leave the book unless another subscription covers them.</summary>
    /// <exception cref="MarketStreamException">Unknown subscription (1010), or no answer in time.</exception>
    public async Task UnsubscribeAsync(long subscriptionId, CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        ActiveSubscription? subscription;
        ClientWebSocket? socket;
        lock (_sync)
        {
            if (!_subscriptions.Remove(subscriptionId, out subscription))
            {
                throw new MarketStreamException(ErrorCode.UnknownSubscription, $"subscription {subscriptionId} is not active");
            }

            socket = _socket;
        }

        ForgetUncovered(subscription);
        if (socket is null)
        {
            return; // Not connected: the reconnect simply does not renew it.
        }

        var id = NextRequestId();
        var answer = Register(id);
        await SendAsync(socket, new UnsubscribeRequest(id, subscriptionId), cancellationToken).ConfigureAwait(false);
        await AwaitAsync(id, answer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Round trip to the server (Ping/Pong, docs/protocol.md §4.5, §4.18).</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        var socket = Volatile.Read(ref _socket) ?? throw new MarketStreamException("not connected", null, null);
        var id = NextRequestId();
        var answer = Register(id);
        var started = Stopwatch.GetTimestamp();
        await SendAsync(socket, new PingRequest(id, UnixNanos.Now()), cancellationToken).ConfigureAwait(false);
        await AwaitAsync(id, answer, cancellationToken).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Closes the session (close 1000), stops the background task and completes <see cref="Events"/>. Leaves no task running.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var socket = Volatile.Read(ref _socket);
        if (socket is not null && _run is not null)
        {
            await CloseQuietlyAsync(socket).ConfigureAwait(false);

            // The server echoes the close, which ends the receive loop cleanly; do not wait long for it.
            await Task.WhenAny(_run, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            try
            {
                await _run.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Expected: cancelled while waiting.
            }
        }

        socket?.Dispose();
        FailPending(new ObjectDisposedException(nameof(MarketStreamClient)));
        _events.Writer.TryComplete();
        _receiver.Dispose();
        _invoker.Dispose();
        _handler.Dispose();
        _stop.Dispose();
    }

    private long NextRequestId() => Interlocked.Increment(ref _nextRequestId);

    private void EnsureStarted()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Volatile.Read(ref _started) == 0)
        {
            throw new InvalidOperationException("Call ConnectAsync first.");
        }
    }

    private TaskCompletionSource<ServerMessageBody> Register(long requestId)
    {
        var answer = new TaskCompletionSource<ServerMessageBody>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync)
        {
            _pending[requestId] = answer;
        }

        return answer;
    }

    private async Task<ServerMessageBody> AwaitAsync(long requestId, TaskCompletionSource<ServerMessageBody> answer, CancellationToken cancellationToken)
    {
        try
        {
            var body = await answer.Task.WaitAsync(_options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            return body is ErrorMessage error
                ? throw new MarketStreamException(error.Code, $"server refused request {requestId}: {(int)error.Code} {error.Code}: {error.Text}")
                : body;
        }
        catch (TimeoutException ex)
        {
            throw new MarketStreamException($"no answer to request {requestId} within {_options.RequestTimeout}", ex);
        }
        finally
        {
            lock (_sync)
            {
                _pending.Remove(requestId);
            }
        }
    }

    private ActiveSubscription? Withdraw(long subscriptionId)
    {
        ActiveSubscription? subscription;
        lock (_sync)
        {
            _subscriptions.Remove(subscriptionId, out subscription);
        }

        if (subscription is not null)
        {
            ForgetUncovered(subscription);
        }

        return subscription;
    }

    private async Task TryUnsubscribeQuietlyAsync(long subscriptionId)
    {
        var socket = Volatile.Read(ref _socket);
        if (socket is null || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        // Its answer (ack, or 1010 if the subscribe never took effect) is swallowed by a pending entry nobody awaits.
        var id = NextRequestId();
        var answer = Register(id);
        _ = answer.Task.ContinueWith(_ => { lock (_sync) { _pending.Remove(id); } }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await SendAsync(socket, new UnsubscribeRequest(id, subscriptionId), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            answer.TrySetCanceled();
        }
    }

    /// <summary>Drops from the book the symbols of <paramref name="removed"/> that no remaining subscription covers.</summary>
    private void ForgetUncovered(ActiveSubscription removed)
    {
        var names = new HashSet<string>(removed.Covered, StringComparer.Ordinal);
        lock (_sync)
        {
            foreach (var other in _subscriptions.Values)
            {
                names.ExceptWith(other.Covered);
            }
        }

        _decoder.Forget(names);
    }

    private async Task SendAsync(ClientWebSocket socket, ClientMessage message, CancellationToken cancellationToken)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        ClientMessageWriter.Write(buffer, message);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            // The connection dropped under us: the receive loop reconnects and renews subscriptions; requests
            // waiting for an answer keep waiting (subscriptions are re-sent) or time out.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                if (socket.State == WebSocketState.Open)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client closing", timeout.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Already gone; disposal aborts it.
        }
    }

    private void FailPending(Exception error)
    {
        lock (_sync)
        {
            foreach (var answer in _pending.Values)
            {
                answer.TrySetException(error);
            }

            _pending.Clear();
        }
    }

    private ValueTask EmitAsync(in MarketEvent item, CancellationToken cancellationToken)
    {
        if (_events.Writer.TryWrite(item))
        {
            return ValueTask.CompletedTask;
        }

        BackpressureWaits++;
        return _events.Writer.WriteAsync(item, cancellationToken);
    }

}
