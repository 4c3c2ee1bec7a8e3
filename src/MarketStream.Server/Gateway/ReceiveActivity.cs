namespace MarketStream.Server.Gateway;

/// <summary>
/// When bytes last arrived from one WebSocket client — data, control frames and pongs alike. The
/// keep-alive rule (docs/protocol.md §6, close 4006) needs pongs, which the WebSocket implementation
/// consumes internally, so <see cref="ReceiveActivityStream"/> records every read of the upgraded
/// stream here. Stored as a <see cref="TimeProvider"/> timestamp; read by the session's writer loop.
/// </summary>
internal sealed class ReceiveActivity(TimeProvider time)
{
    private long _lastReceived = time.GetTimestamp();

    public TimeProvider Time { get; } = time;

    public long LastReceivedTimestamp => Volatile.Read(ref _lastReceived);

    public void OnReceived() => Volatile.Write(ref _lastReceived, Time.GetTimestamp());
}
