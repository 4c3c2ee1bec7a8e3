using MarketStream.Model;
using MessagePack;

namespace MarketStream.Protocol.Internal;

/// <summary>The channel list shared by Subscribe (client) and SubscribeAck (server), docs/protocol.md §4.2.</summary>
internal static class ChannelListFormat
{
    /// <summary>A channel list <c>[[1], [2, history], [3, depth], [4, intervalSeconds, history], [5], [6]]</c> (§4.2).</summary>
    public static void Write(ref MessagePackWriter writer, IReadOnlyList<ChannelRequest> channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        writer.WriteArrayHeader(channels.Count);
        for (var i = 0; i < channels.Count; i++)
        {
            var c = channels[i];
            switch (c.Channel)
            {
                case ChannelKind.Trades:
                    writer.WriteArrayHeader(2);
                    writer.Write((byte)c.Channel);
                    writer.Write(c.History);
                    break;
                case ChannelKind.Book:
                    writer.WriteArrayHeader(2);
                    writer.Write((byte)c.Channel);
                    writer.Write(c.Depth);
                    break;
                case ChannelKind.Bars:
                    writer.WriteArrayHeader(3);
                    writer.Write((byte)c.Channel);
                    writer.Write(c.IntervalSeconds);
                    writer.Write(c.History);
                    break;
                default:
                    writer.WriteArrayHeader(1);
                    writer.Write((byte)c.Channel);
                    break;
            }
        }
    }
}
