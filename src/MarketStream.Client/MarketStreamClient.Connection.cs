using System.Net.WebSockets;
using MarketStream.Client.Internal;
using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Client;

// The background side: open a session, receive and decode frames, reconnect and resume.
public sealed partial class MarketStreamClient
{
    private async Task<(ClientWebSocket Socket, WelcomeMessage Welcome)> OpenAsync(CancellationToken cancellationToken)
    {
        var url = _options.Url!;
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.AddSubProtocol(_options.SubProtocol);
            if (!string.IsNullOrEmpty(_options.Token))
            {
                // §1.3 way 1: works for every client and keeps the token out of URLs (and proxy logs).
                socket.Options.AddSubProtocol(WireProtocol.TokenSubProtocolPrefix + _options.Token);
            }

            socket.Options.CollectHttpResponseDetails = true;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(_options.ConnectTimeout);
                try
                {
                    await socket.ConnectAsync(url, _invoker, timeout.Token).ConfigureAwait(false);
                }
                catch (WebSocketException ex)
                {
                    var status = (int)socket.HttpStatusCode;
                    throw status != 0
                        ? new MarketStreamException(DescribeRefusal(url, status), null, status, ex)
                        : new MarketStreamException($"cannot connect to {url}: {ex.InnerException?.Message ?? ex.Message}", null, null, ex);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new MarketStreamException($"connecting to {url} timed out after {_options.ConnectTimeout}", null, null, ex);
                }
            }

            if (socket.SubProtocol != _options.SubProtocol)
            {
                throw new MarketStreamException($"{url} did not select subprotocol {_options.SubProtocol} (got '{socket.SubProtocol}'); is it a MarketStream server?");
            }

            var welcome = await ReadWelcomeAsync(socket, cancellationToken).ConfigureAwait(false);
            _decoder.NewConnection();
            return (socket, welcome);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<WelcomeMessage> ReadWelcomeAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.HandshakeTimeout);
        ReadOnlyMemory<byte>? frame;
        try
        {
            frame = await _receiver.ReceiveAsync(socket, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MarketStreamException($"no Welcome within {_options.HandshakeTimeout}", null, null, ex);
        }

        if (frame is null)
        {
            throw new MarketStreamException($"server closed the session before Welcome: {(int?)socket.CloseStatus} {socket.CloseStatusDescription}", (int?)socket.CloseStatus, null);
        }

        var events = new EventBuffer();
        var control = new List<ServerMessageBody>();
        if (!_decoder.Decode(frame.Value, UnixNanos.Now(), events, control, out var error) || control.Count == 0 || control[0] is not WelcomeMessage welcome)
        {
            throw new MarketStreamException($"the first message was not a Welcome (docs/protocol.md §1.4){(error.IsError ? ": " + error.Message : "")}");
        }

        return welcome;
    }

    private static string DescribeRefusal(Uri url, int status) => status switch
    {
        400 => $"{url} refused the upgrade with HTTP 400: subprotocol not supported (docs/protocol.md §1.2)",
        401 => $"{url} refused the token with HTTP 401: invalid or expired (docs/protocol.md §1.3)",
        403 => $"{url} refused the upgrade with HTTP 403: origin not allowed",
        404 => $"{url} answered HTTP 404: no WebSocket endpoint there (the path is {WireProtocol.Endpoint})",
        _ => $"{url} refused the upgrade with HTTP {status}",
    };

    /// <summary>Close codes after which reconnecting cannot help until something is fixed (docs/protocol.md §6).</summary>
    private static bool IsTerminal(int? closeStatus) => closeStatus is 1000 or 1002 or 1003 or 1008 or 4001 or 4002 or 4005;

    private async Task RunAsync(ClientWebSocket socket, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var ended = await ReceiveLoopAsync(socket, stop).ConfigureAwait(false);
                lock (_sync)
                {
                    _socket = null;
                }

                socket.Dispose();
                if (Volatile.Read(ref _disposed) != 0)
                {
                    return;
                }

                var terminal = !_options.Reconnect || IsTerminal(ended.CloseStatus);
                await EmitAsync(Disconnected(ended with { WillReconnect = !terminal }), stop).ConfigureAwait(false);
                if (terminal)
                {
                    End(new MarketStreamException($"session ended: {ended.CloseStatus} {ended.Description}", ended.CloseStatus, null));
                    return;
                }

                var next = await ReconnectAsync(stop).ConfigureAwait(false);
                if (next is null)
                {
                    return;
                }

                socket = next;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Disposed.
        }
        catch (Exception ex)
        {
            // A bug must not vanish into an unobserved task: consumers see it when reading.
            End(ex);
        }
    }

    private async Task<DisconnectInfo> ReceiveLoopAsync(ClientWebSocket socket, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var frame = await _receiver.ReceiveAsync(socket, stop).ConfigureAwait(false);
                if (frame is null)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await CloseQuietlyAsync(socket).ConfigureAwait(false);
                    }

                    return new DisconnectInfo((int?)socket.CloseStatus, socket.CloseStatusDescription ?? "", false);
                }

                var valid = _decoder.Decode(frame.Value, UnixNanos.Now(), _frameEvents, _control, out var error);
                Dispatch();
                for (var i = 0; i < _frameEvents.Count; i++)
                {
                    await EmitAsync(_frameEvents[i], stop).ConfigureAwait(false);
                }

                _frameEvents.Clear();
                if (!valid)
                {
                    // §7: a corrupt frame means the stream can no longer be trusted; a fresh session resumes cleanly.
                    socket.Abort();
                    return new DisconnectInfo(null, $"invalid frame from the server: {(int)error.Code} {error.Message}", false);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or MarketStreamException && !stop.IsCancellationRequested)
        {
            _frameEvents.Clear();
            return new DisconnectInfo((int?)socket.CloseStatus, ex.Message, false);
        }
    }

    /// <summary>Hands control messages to the requests waiting for them.</summary>
    private void Dispatch()
    {
        foreach (var body in _control)
        {
            long requestId;
            switch (body)
            {
                case SubscribeAckMessage ack:
                    lock (_sync)
                    {
                        if (_subscriptions.TryGetValue(ack.RequestId, out var subscription))
                        {
                            subscription.OnAck(ack);
                        }
                    }

                    requestId = ack.RequestId;
                    break;
                case UnsubscribeAckMessage m:
                    requestId = m.RequestId;
                    break;
                case PongMessage m:
                    requestId = m.RequestId;
                    break;
                case ErrorMessage m:
                    requestId = m.RequestId;
                    if (!Answer(requestId, body))
                    {
                        // Nobody waits: an unsolicited error, or a renewed subscription the server now refuses.
                        Withdraw(requestId);
                        _frameEvents.Add(new MarketEvent(MarketEventKind.Error, null, m.RequestId, 0, 0, 0, 0, default, UnixNanos.Now(), m));
                    }

                    continue;
                default:
                    continue; // Welcome, Authenticated (token in the handshake), IngestAck: nothing waits for them.
            }

            Answer(requestId, body);
        }

        _control.Clear();
    }

    private bool Answer(long requestId, ServerMessageBody body)
    {
        TaskCompletionSource<ServerMessageBody>? answer;
        lock (_sync)
        {
            _pending.TryGetValue(requestId, out answer);
        }

        return answer?.TrySetResult(body) == true;
    }

    /// <summary>Reconnects with backoff until a session opens (then renews every subscription with resume positions), or a refusal that retrying cannot fix.</summary>
    private async Task<ClientWebSocket?> ReconnectAsync(CancellationToken stop)
    {
        for (var attempt = 0; ; attempt++)
        {
            await Task.Delay(Backoff.Delay(attempt, _options.ReconnectMinDelay, _options.ReconnectMaxDelay), stop).ConfigureAwait(false);
            ClientWebSocket socket;
            WelcomeMessage welcome;
            try
            {
                (socket, welcome) = await OpenAsync(stop).ConfigureAwait(false);
            }
            catch (MarketStreamException ex) when (ex.HttpStatus is 400 or 401 or 403)
            {
                await EmitAsync(Disconnected(new DisconnectInfo(null, ex.Message, false)), stop).ConfigureAwait(false);
                End(ex);
                return null;
            }
            catch (MarketStreamException) when (!stop.IsCancellationRequested)
            {
                continue; // Down, refused or timed out: try again later.
            }

            Reconnects++;
            Connection = new ConnectionInfo(welcome, Reconnects);
            var renew = new List<SubscribeRequest>();
            lock (_sync)
            {
                _socket = socket;
                foreach (var subscription in _subscriptions.Values)
                {
                    renew.Add(subscription.ToRequest(_decoder.ResumePositions(subscription.Covered)));
                }
            }

            foreach (var request in renew)
            {
                await SendAsync(socket, request, stop).ConfigureAwait(false);
            }

            await EmitAsync(new MarketEvent(MarketEventKind.Connected, null, 0, 0, 0, 0, 0, default, UnixNanos.Now(), Connection), stop).ConfigureAwait(false);
            return socket;
        }
    }

    private static MarketEvent Disconnected(DisconnectInfo info) => new(MarketEventKind.Disconnected, null, 0, 0, 0, 0, 0, default, UnixNanos.Now(), info);

    /// <summary>The session is over for good: waiting requests and readers get <paramref name="error"/>.</summary>
    private void End(Exception error)
    {
        FailPending(error);
        _events.Writer.TryComplete(error);
    }
}
