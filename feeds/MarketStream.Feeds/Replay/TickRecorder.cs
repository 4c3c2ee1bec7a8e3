using MarketStream.Core.Ring;
using MarketStream.Model;

namespace MarketStream.Feeds.Replay;

/// <summary>
/// A ring stage that records the live stream to a tick file: add it to the pipeline with
/// <c>pipeline.HandleWith(new TickRecorder(writer))</c>. The file is completed (binary end marker
/// written, flushed) when the stage shuts down, i.e. on the pipeline's drain or halt.
/// </summary>
public sealed class TickRecorder : IEventHandler<Tick>
{
    private readonly ITickWriter _writer;

    /// <summary>Creates a recorder writing through <paramref name="writer"/>.</summary>
    public TickRecorder(ITickWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    /// <summary>Ticks recorded so far.</summary>
    public long Recorded => _writer.Written;

    /// <inheritdoc />
    public void OnEvent(ref Tick data, long sequence, bool endOfBatch) => _writer.Write(in data);

    /// <inheritdoc />
    public void OnShutdown() => _writer.Complete();
}
