using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace MarketStream.Server.Gateway;

/// <summary>
/// The WebSocket's stream over Kestrel's transport pipes for a <see cref="DirectUpgrade"/>d connection:
/// reads take what the socket delivered, writes go straight into the transport's output pipe (one copy,
/// then a flush that waits while the client does not read — Kestrel's backpressure). Every read that
/// returns bytes is recorded in the <see cref="ReceiveActivity"/> (keep-alive, close 4006), as
/// <see cref="ReceiveActivityStream"/> does for the HTTP path. Zero-byte reads wait for data without
/// taking it, so an idle connection holds no receive buffer of its own. The pipes belong to Kestrel:
/// disposing the stream leaves them to the connection's end. It is also the session's way to abort the
/// connection (<see cref="ITransportAbort"/>).
/// </summary>
internal sealed class UpgradedTransportStream(ConnectionContext connection, ReceiveActivity activity) : Stream, ITransportAbort
{
    private readonly PipeReader _input = connection.Transport.Input;
    private readonly PipeWriter _output = connection.Transport.Output;

    public void AbortTransport() => connection.Abort();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
        var buffer = result.Buffer;
        if (result.IsCanceled)
        {
            _input.AdvanceTo(buffer.Start);
            throw new OperationCanceledException("The read was canceled.");
        }

        if (destination.IsEmpty || buffer.IsEmpty)
        {
            // Zero-byte read (data is now available), or end of stream (completed with nothing left).
            _input.AdvanceTo(buffer.Start);
            return 0;
        }

        var count = (int)Math.Min(buffer.Length, destination.Length);
        buffer.Slice(0, count).CopyTo(destination.Span);
        _input.AdvanceTo(buffer.GetPosition(count));
        activity.OnReceived();
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        var flush = _output.WriteAsync(source, cancellationToken);
        if (flush.IsCompletedSuccessfully)
        {
            ThrowIfNotWritten(flush.Result);
            return default;
        }

        return AwaitFlushAsync(flush);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async Task FlushAsync(CancellationToken cancellationToken) =>
        ThrowIfNotWritten(await _output.FlushAsync(cancellationToken).ConfigureAwait(false));

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private static async ValueTask AwaitFlushAsync(ValueTask<FlushResult> flush) => ThrowIfNotWritten(await flush.ConfigureAwait(false));

    /// <summary>A flush that reports the reader gone means the connection ended: the bytes went nowhere, so say so.</summary>
    private static void ThrowIfNotWritten(FlushResult result)
    {
        if (result.IsCanceled)
        {
            throw new OperationCanceledException("The write was canceled.");
        }

        if (result.IsCompleted)
        {
            throw new IOException("The connection was closed.");
        }
    }
}
