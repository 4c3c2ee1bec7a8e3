using System.Buffers;
using System.Runtime.InteropServices;
using MarketStream.Core.Market;
using MarketStream.Protocol.Internal;
using MessagePack;

namespace MarketStream.Protocol;

/// <summary>
/// Builds one Batch frame <c>[24, [m1, m2, …]]</c> (docs/protocol.md §4.8) in a buffer it reuses for
/// every frame of a session. The header is reserved up front and written by <see cref="Complete"/>
/// once the element count is known, in its smallest form, right-aligned against the first element,
/// so the frame is canonical MessagePack and elements are appended without moving. Pre-encoded
/// updates from the engine are copied verbatim (<see cref="TryAppendEncoded"/>). Appends never
/// exceed the buffer: a false return means "frame full, send it and start another". Not thread-safe:
/// one per session writer loop.
/// </summary>
public sealed class BatchWriter
{
    /// <summary>fixarray(2) + type code + array32 header: the most the header can take.</summary>
    public const int HeaderReserve = 7;

    /// <summary>Smallest buffer accepted: header plus one largest update.</summary>
    public const int MinimumCapacity = HeaderReserve + MessagePackUpdateEncoder.MaxMergedBytes;

    private readonly byte[] _buffer;
    private ArrayBufferWriter<byte>? _scratch;
    private int _position;
    private int _count;

    /// <summary>Creates a writer with its own buffer of <paramref name="maxFrameBytes"/>.</summary>
    /// <param name="maxFrameBytes">Largest frame to produce; at least <see cref="MinimumCapacity"/>.</param>
    public BatchWriter(int maxFrameBytes)
        : this(new byte[Math.Max(maxFrameBytes, 0)])
    {
    }

    /// <summary>Creates a writer over a caller-owned buffer (e.g. rented from a pool); frames never exceed its length.</summary>
    public BatchWriter(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer.Length < MinimumCapacity)
        {
            ThrowHelper.ThrowArgument(nameof(buffer), $"A batch buffer needs at least {MinimumCapacity} bytes.");
        }

        _buffer = buffer;
        Reset();
    }

    /// <summary>Messages appended since <see cref="Reset"/>.</summary>
    public int Count => _count;

    /// <summary>Largest frame this writer produces, in bytes.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Upper bound of the frame size if completed now.</summary>
    public int Length => _position;

    /// <summary>Bytes still free for elements.</summary>
    public int Remaining => _buffer.Length - _position;

    /// <summary>Starts a new, empty frame. The previous frame's bytes become invalid.</summary>
    public void Reset()
    {
        _position = HeaderReserve;
        _count = 0;
    }

    /// <summary>
    /// Appends one complete, pre-encoded message (as produced by <see cref="MessagePackUpdateEncoder"/>).
    /// The bytes are not inspected: they must be exactly one server message.
    /// </summary>
    /// <returns>False, and nothing written, if the message does not fit.</returns>
    public bool TryAppendEncoded(ReadOnlySpan<byte> message)
    {
        var position = _position;
        if ((uint)message.Length > (uint)(_buffer.Length - position))
        {
            return false;
        }

        message.CopyTo(new Span<byte>(_buffer, position, message.Length));
        _position = position + message.Length;
        _count++;
        return true;
    }

    /// <summary>Encodes an Update straight into the frame (§4.6).</summary>
    /// <returns>False, and nothing written, if it does not fit.</returns>
    public bool TryAppendUpdate(in Tick tick)
    {
        var position = _position;
        if (_buffer.Length - position >= MessagePackUpdateEncoder.MaxUpdateBytes)
        {
            _position = MessagePackUpdateEncoder.WriteUpdate(ref MemoryMarshal.GetArrayDataReference(_buffer), position, tick);
            _count++;
            return true;
        }

        // Near the end of the buffer the worst case may not fit but this update might.
        Span<byte> temp = stackalloc byte[MessagePackUpdateEncoder.MaxUpdateBytes];
        return TryAppendEncoded(temp[..MessagePackUpdateEncoder.WriteUpdate(ref MemoryMarshal.GetReference(temp), 0, tick)]);
    }

    /// <summary>Encodes a Merged update straight into the frame (§4.7).</summary>
    /// <returns>False, and nothing written, if it does not fit.</returns>
    public bool TryAppendMerged(in MergedUpdate merged)
    {
        var position = _position;
        if (_buffer.Length - position >= MessagePackUpdateEncoder.MaxMergedBytes)
        {
            _position = MessagePackUpdateEncoder.WriteMerged(ref MemoryMarshal.GetArrayDataReference(_buffer), position, merged);
            _count++;
            return true;
        }

        Span<byte> temp = stackalloc byte[MessagePackUpdateEncoder.MaxMergedBytes];
        return TryAppendEncoded(temp[..MessagePackUpdateEncoder.WriteMerged(ref MemoryMarshal.GetReference(temp), 0, merged)]);
    }

    /// <summary>Appends a Snapshot (§4.13).</summary>
    public bool TryAppendSnapshot(long requestId, SymbolInfo symbol, in SymbolSnapshot state)
    {
        var writer = BeginScratch();
        ServerMessageWriter.WriteSnapshot(ref writer, requestId, symbol, state);
        return EndScratch(ref writer);
    }

    /// <summary>Appends a Reset (§4.14).</summary>
    public bool TryAppendReset(long requestId, ResetReason reason, SymbolInfo symbol, in SymbolSnapshot state)
    {
        var writer = BeginScratch();
        ServerMessageWriter.WriteReset(ref writer, requestId, reason, symbol, state);
        return EndScratch(ref writer);
    }

    /// <summary>Appends a Notice (§4.16), e.g. degraded-to-conflated or a slow-consumer warning, in stream order.</summary>
    public bool TryAppendNotice(NoticeCode code, long subscriptionId, long value, string text)
    {
        var writer = BeginScratch();
        ServerMessageWriter.WriteNotice(ref writer, code, subscriptionId, value, text);
        return EndScratch(ref writer);
    }

    /// <summary>Appends a Heartbeat (§4.15).</summary>
    public bool TryAppendHeartbeat(long serverTimeNs, long queuedBytes, long queuedUpdates, long lagMs, long mergedCount)
    {
        var writer = BeginScratch();
        ServerMessageWriter.WriteHeartbeat(ref writer, serverTimeNs, queuedBytes, queuedUpdates, lagMs, mergedCount);
        return EndScratch(ref writer);
    }

    /// <summary>Appends any server message body. Batch elements are normally stream messages (§4.8).</summary>
    public bool TryAppend(ServerMessageBody message)
    {
        var writer = BeginScratch();
        ServerMessageWriter.Write(ref writer, message);
        return EndScratch(ref writer);
    }

    /// <summary>
    /// Writes the header for the current count and returns the finished frame, a slice of the
    /// writer's buffer valid until the next <see cref="Reset"/>. An empty batch is legal (§4.8).
    /// </summary>
    public ArraySegment<byte> Complete()
    {
        var headerLength = 2 + RawWriter.ArrayHeaderLength(_count);
        var start = HeaderReserve - headerLength;
        ref var dst = ref MemoryMarshal.GetArrayDataReference(_buffer);
        var pos = RawWriter.WriteByte(ref dst, start, 0x92); // fixarray(2)
        pos = RawWriter.WriteByte(ref dst, pos, (byte)MessageType.Batch);
        RawWriter.WriteArrayHeader(ref dst, pos, _count);
        return new ArraySegment<byte>(_buffer, start, _position - start);
    }

    // Rare messages with strings go through MessagePackWriter into a reused scratch buffer and are
    // then copied, so a message that does not fit never leaves a partial element in the frame.
    private MessagePackWriter BeginScratch()
    {
        _scratch ??= new ArrayBufferWriter<byte>(256);
        _scratch.ResetWrittenCount();
        return new MessagePackWriter(_scratch);
    }

    private bool EndScratch(ref MessagePackWriter writer)
    {
        writer.Flush();
        return TryAppendEncoded(_scratch!.WrittenSpan);
    }
}
