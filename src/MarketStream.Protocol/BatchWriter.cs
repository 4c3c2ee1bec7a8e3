using System.Buffers;
using System.Runtime.InteropServices;
using MarketStream.Model;
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
public sealed partial class BatchWriter
{
    /// <summary>fixarray(2) + type code + array32 header: the most the header can take.</summary>
    public const int HeaderReserve = 7;

    /// <summary>Smallest buffer accepted: header plus one largest update.</summary>
    public const int MinimumCapacity = HeaderReserve + MessagePackUpdateEncoder.MaxMergedBytes;

    private byte[] _buffer = [];
    private int _capacity;
    /// <summary>
    /// Scratch for the messages written through <see cref="MessagePackWriter"/> (heartbeats, notices,
    /// snapshots), one per thread rather than per writer: appends are synchronous, and a gateway holds
    /// one writer per connection, idle ones included.
    /// </summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;
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
        Reset(buffer, buffer.Length);
    }

    /// <summary>
    /// Creates a writer without a buffer: nothing fits until <see cref="Reset(byte[], int)"/> gives it one.
    /// For a writer that takes a pooled buffer per frame, so an idle connection holds none.
    /// </summary>
    public BatchWriter() => Unbind();

    /// <summary>Messages appended since <see cref="Reset()"/>.</summary>
    public int Count => _count;

    /// <summary>Largest frame this writer produces, in bytes.</summary>
    public int Capacity => _capacity;

    /// <summary>Upper bound of the frame size if completed now.</summary>
    public int Length => _position;

    /// <summary>Bytes still free for elements.</summary>
    public int Remaining => _capacity - _position;

    /// <summary>Starts a new, empty frame. The previous frame's bytes become invalid.</summary>
    public void Reset()
    {
        _position = HeaderReserve;
        _count = 0;
    }

    /// <summary>
    /// Lets go of the buffer (so the caller can return it to its pool without the writer still pointing
    /// at it); nothing fits until <see cref="Reset(byte[], int)"/>.
    /// </summary>
    public void Unbind()
    {
        _buffer = [];
        _capacity = HeaderReserve;
        Reset();
    }

    /// <summary>
    /// Starts a new, empty frame in <paramref name="buffer"/> (e.g. rented from a pool, possibly longer
    /// than asked for): the frame never exceeds <paramref name="capacity"/> bytes. The writer keeps no
    /// reference to the previous buffer's frame, so the caller may return that buffer to its pool.
    /// </summary>
    public void Reset(byte[] buffer, int capacity)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (capacity < MinimumCapacity || capacity > buffer.Length)
        {
            ThrowHelper.ThrowArgument(nameof(capacity), $"A batch buffer needs at least {MinimumCapacity} bytes and capacity within the buffer; got {capacity} of {buffer.Length}.");
        }

        _buffer = buffer;
        _capacity = capacity;
        Reset();
    }

    /// <summary>
    /// Appends one complete, pre-encoded message (as produced by <see cref="MessagePackUpdateEncoder"/>).
    /// The bytes are not inspected: they must be exactly one server message.
    /// </summary>
    /// <returns>False, and nothing written, if the message does not fit.</returns>
    public bool TryAppendEncoded(ReadOnlySpan<byte> message)
    {
        var position = _position;
        if ((uint)message.Length > (uint)(_capacity - position))
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
        if (_capacity - position >= MessagePackUpdateEncoder.MaxUpdateBytes)
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
        if (_capacity - position >= MessagePackUpdateEncoder.MaxMergedBytes)
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
    /// writer's buffer valid until the next <see cref="Reset()"/>. An empty batch is legal (§4.8).
    /// </summary>
    public ArraySegment<byte> Complete()
    {
        if (_buffer.Length < HeaderReserve)
        {
            throw new InvalidOperationException("The batch writer has no buffer; call Reset(buffer, capacity) first.");
        }

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
    private static MessagePackWriter BeginScratch()
    {
        var scratch = t_scratch ??= new ArrayBufferWriter<byte>(256);
        scratch.ResetWrittenCount();
        return new MessagePackWriter(scratch);
    }

    private bool EndScratch(ref MessagePackWriter writer)
    {
        writer.Flush();
        return TryAppendEncoded(t_scratch!.WrittenSpan);
    }
}
