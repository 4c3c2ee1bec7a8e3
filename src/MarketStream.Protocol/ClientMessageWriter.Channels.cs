using MessagePack;

namespace MarketStream.Protocol;

/// <summary>Subscribe's optional <c>channels</c> and <c>replay</c> elements (docs/protocol.md §4.2).</summary>
public static partial class ClientMessageWriter
{
    private static void WriteChannelsAndReplay(ref MessagePackWriter writer, SubscribeRequest m)
    {
        if (m.Replay is null && m.Channels is null)
        {
            return;
        }

        if (m.Channels is null)
        {
            writer.WriteNil(); // quotes and trades, as the v1 form
        }
        else
        {
            Internal.ChannelListFormat.Write(ref writer, m.Channels);
        }

        if (m.Replay is { } replay)
        {
            writer.WriteArrayHeader(2);
            writer.Write(replay.StartTimeNs);
            writer.Write(replay.PacePercent);
        }
    }
}
