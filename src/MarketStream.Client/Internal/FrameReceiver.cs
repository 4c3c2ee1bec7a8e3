using System.Buffers;
using System.Net.WebSockets;
using MarketStream.Protocol;

namespace MarketStream.Client.Internal;

/// <summary>
/// Reads whole WebSocket messages into one reused, pooled buffer that grows up to the client limit of
/// docs/protocol.md §7 (16 MiB). The returned memory is valid until the next receive.
/// </summary>
internal sealed class FrameReceiver : IDisposable
{
    private static readonly int MaxFrameBytes = DecoderLimits.ServerInput.MaxMessageBytes;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);

    /// <summary>The next binary message, or null once the server's close frame arrived.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                if (_buffer.Length >= MaxFrameBytes)
                {
                    throw new MarketStreamException($"server message larger than {MaxFrameBytes} bytes (docs/protocol.md §7)");
                }

                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, MaxFrameBytes));
                _buffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }

            var result = await socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            if (result.MessageType != WebSocketMessageType.Binary)
            {
                throw new MarketStreamException("server sent a text frame; the protocol is binary only (docs/protocol.md §1.1)");
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return _buffer.AsMemory(0, length);
            }
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
