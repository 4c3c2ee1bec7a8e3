using System.Buffers;
using System.Net.WebSockets;
using MarketStream.Protocol;

namespace MarketStream.Server.Gateway;

internal sealed partial class GatewaySession
{
    private int _malformed;
    private int _rateRejected;
    private bool _rateLogged;

    /// <summary>
    /// Receives whole messages into one pooled buffer of <see cref="GatewayOptions.MaxInboundMessageBytes"/>
    /// and handles them in order. Limits (docs/protocol.md §7): a bigger message closes with 1009, a text
    /// frame with 1003 (after Error 1011), the inbound rate gives Error 3001 and, persisting, close 4004;
    /// malformed input gives Error with the decoder's code and, repeated, close 1008. Once a close is
    /// requested it only reads on to see the client's close frame.
    /// </summary>
    private async Task ReaderLoopAsync()
    {
        var max = Options.MaxInboundMessageBytes;
        var limiter = new InboundRateLimiter(Options.MaxInboundMessagesPerSecond, Options.InboundBurst, _context.Time.GetTimestamp(), _context.Time.TimestampFrequency);
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                // Wait for the next message with a zero-byte receive, holding no buffer: an idle
                // connection owns none (docs/operations.md, memory per connection). It completes once
                // a frame header is in; the payload is then read into a pooled buffer.
                var result = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    OnClientClose();
                    return;
                }

                buffer = ArrayPool<byte>.Shared.Rent(max);
                var count = 0;
                var tooBig = false;
                // An empty message is complete already (and answered as malformed, §5 code 1000).
                while (!result.EndOfMessage)
                {
                    // Past the limit the rest of the message is read over the same buffer and dropped.
                    var offset = tooBig ? 0 : count;
                    result = await _socket.ReceiveAsync(buffer.AsMemory(offset, max - offset), CancellationToken.None).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        OnClientClose();
                        return;
                    }

                    count = offset + result.Count;
                    if (!result.EndOfMessage && count == max && !tooBig)
                    {
                        tooBig = true;
                        if (!IsClosing)
                        {
                            Log.MessageTooBig(Logger, Id, max);
                            _context.Metrics.ProtocolError((int)ErrorCode.MessageTooLarge);
                            RequestClose(CloseCode.MessageTooBig, "message too big");
                        }
                    }
                }

                if (tooBig || IsClosing)
                {
                    ReturnBuffer(ref buffer);
                    continue;
                }

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    ReturnBuffer(ref buffer);
                    Log.TextFrame(Logger, Id);
                    SendError(0, ErrorCode.TextFrameNotSupported, "text frames are not supported; send binary MessagePack");
                    RequestClose(CloseCode.UnsupportedData, "text frames are not supported");
                    continue;
                }

                _context.Metrics.MessageReceived();
                if (!limiter.TryTake(_context.Time.GetTimestamp()))
                {
                    ReturnBuffer(ref buffer);
                    OnRateLimited();
                    continue;
                }

                _rateRejected = 0;
                var read = ClientMessageReader.TryRead(buffer.AsMemory(0, count), _context.DecoderLimits, out var message, out var error);
                // The decoded message owns its strings; the bytes are no longer needed.
                ReturnBuffer(ref buffer);
                if (!read)
                {
                    OnMalformed(error);
                    continue;
                }

                await HandleAsync(message!).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // Connection reset or aborted: the writer notices the socket state and ends.
            SetEndCode(1006);
            _outbox.Wake();
        }
        catch (Exception ex)
        {
            Log.SessionFailed(Logger, ex, Id);
            SetEndCode((int)CloseCode.InternalError);
            RequestClose(CloseCode.InternalError, "internal error");
        }
        finally
        {
            ReturnBuffer(ref buffer);
        }
    }

    private static void ReturnBuffer(ref byte[]? buffer)
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
    }

    private bool IsClosing
    {
        get
        {
            lock (_subscriptions)
            {
                return _closeCode != 0;
            }
        }
    }

    private void OnClientClose()
    {
        // The client started the close handshake (or answered ours): record its code, echo a close (RFC 6455 §5.5.1).
        var status = _socket.CloseStatus is { } s ? (int)s : (int)CloseCode.Normal;
        SetEndCode(status);
        RequestClose(CloseCode.Normal, "");
    }

    private void OnRateLimited()
    {
        // One Error per run of rejected messages, so a flood is not answered with a flood (§5 code 3001).
        _context.Metrics.ProtocolError((int)ErrorCode.RateLimited);
        if (++_rateRejected == 1)
        {
            SendError(0, ErrorCode.RateLimited, "inbound message rate exceeded");
            if (!_rateLogged)
            {
                _rateLogged = true;
                Log.RateLimited(Logger, Id, Options.MaxInboundMessagesPerSecond);
            }
        }

        // Persisting: a whole second's allowance refused in a row without the client slowing down.
        if (_rateRejected >= Options.MaxInboundMessagesPerSecond)
        {
            Log.RateLimitClosed(Logger, Id, _rateRejected);
            RequestClose(CloseCode.RateLimited, "rate limit exceeded");
        }
    }

    private void OnMalformed(in ProtocolError error)
    {
        SendError(error.RequestId, error.Code, error.Message);
        // Logged once per session: a flood of bad input must not flood the log.
        if (++_malformed == 1)
        {
            Log.Malformed(Logger, Id, (int)error.Code, error.Message);
        }

        if (_malformed >= MaxMalformedMessages)
        {
            Log.MalformedClosed(Logger, Id, _malformed);
            RequestClose(CloseCode.PolicyViolation, "too many malformed messages");
        }
    }
}
