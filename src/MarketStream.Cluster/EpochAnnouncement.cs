using System.Buffers.Binary;
using System.Text;

namespace MarketStream.Cluster;

/// <summary>
/// What an ingest node announces on <c>{prefix}.epoch</c>: its name and the epoch of its streams.
/// A gateway that sees a known name with a newer epoch knows that node restarted, so every symbol
/// still in the old epoch has lost its history, whether or not it has ticked since.
/// </summary>
/// <remarks>
/// <code>
/// 0 u8 version (1)  1 u8 name length  2..7 0  8 epoch (i64 little-endian)  16 name (ASCII)
/// </code>
/// </remarks>
internal readonly record struct EpochAnnouncement(string NodeName, long Epoch)
{
    public const byte Version = 1;
    public const int MaxNameLength = 64;
    private const int FixedLength = 16;

    public byte[] Write()
    {
        var buffer = new byte[FixedLength + NodeName.Length];
        buffer[0] = Version;
        buffer[1] = (byte)NodeName.Length;
        BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(8), Epoch);
        Encoding.ASCII.GetBytes(NodeName, buffer.AsSpan(FixedLength));
        return buffer;
    }

    /// <summary>Reads an announcement; false if it is malformed (wrong version or length, bad name, epoch ≤ 0).</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out EpochAnnouncement announcement)
    {
        announcement = default;
        if (source.Length < FixedLength || source[0] != Version || source.Length != FixedLength + source[1])
        {
            return false;
        }

        var epoch = BinaryPrimitives.ReadInt64LittleEndian(source[8..]);
        var name = Encoding.ASCII.GetString(source[FixedLength..]);
        if (epoch <= 0 || !IsValidNodeName(name))
        {
            return false;
        }

        announcement = new EpochAnnouncement(name, epoch);
        return true;
    }

    public static bool IsValidNodeName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
