using System.Buffers;

namespace MarketStream.Server.Sse;

/// <summary>
/// The bytes of one flush of an SSE stream: a pooled, growable buffer that can be cut back to a
/// mark, so an event that would overflow the batch is taken back whole (the outbox sink contract
/// says a refused item writes nothing). Reused for the life of the connection.
/// </summary>
internal sealed class SseBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _data;
    private int _length;

    public SseBuffer(int initialCapacity) => _data = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int Length => _length;

    public ReadOnlyMemory<byte> WrittenMemory => _data.AsMemory(0, _length);

    public void Clear() => _length = 0;

    /// <summary>Forgets everything written after <paramref name="mark"/> (a former <see cref="Length"/>).</summary>
    public void Truncate(int mark) => _length = mark;

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _data.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _data.AsSpan(_length);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_data.AsSpan(_length));
        _length += bytes.Length;
    }

    public void WriteByte(byte value)
    {
        Ensure(1);
        _data[_length++] = value;
    }

    /// <summary>Lower-case base-36 digits of <paramref name="value"/>: the compact number form of event ids.</summary>
    public void WriteBase36(ulong value)
    {
        Span<byte> digits = stackalloc byte[13];
        var n = 0;
        do
        {
            var d = (int)(value % 36);
            digits[n++] = (byte)(d < 10 ? '0' + d : 'a' + d - 10);
            value /= 36;
        }
        while (value != 0);

        Ensure(n);
        for (var i = n - 1; i >= 0; i--)
        {
            _data[_length++] = digits[i];
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_data);
        _data = [];
        _length = 0;
    }

    private void Ensure(int sizeHint)
    {
        var needed = _length + Math.Max(sizeHint, 256);
        if (needed <= _data.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _data.Length * 2));
        _data.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_data);
        _data = bigger;
    }
}
