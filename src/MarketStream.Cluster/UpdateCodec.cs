using System.Buffers.Binary;
using MarketStream.Model;

namespace MarketStream.Cluster;

/// <summary>
/// The payload of one update on <c>{prefix}.u.{symbol}</c>: fixed little-endian fields, no
/// self-description, because both ends are MarketStream and every byte is paid once per gateway.
/// The symbol travels in the subject.
/// </summary>
/// <remarks>
/// <code>
/// 0  u8  version (1)        1  u8  kind (1 quote, 2 trade)   2  u8 side   3  u8 reserved (0)
/// 4  u16 conditions         6  u16 reserved (0)
/// 8  i64 epoch             16  i64 seq                      24  i64 exchangeTimeNs
/// 32 i64 receiveTimeNs     40  i64 ingest serverTimeNs
/// quote: 48 bid, 56 bidSize, 64 ask, 72 askSize  (80 bytes)
/// trade: 48 price, 56 size                        (64 bytes)
/// </code>
/// A fixed layout costs a few bytes over varints but encodes and decodes with straight stores and
/// loads on the ingest's publishing thread.
/// </remarks>
internal static class UpdateCodec
{
    public const byte Version = 1;
    public const int QuoteLength = 80;
    public const int TradeLength = 64;
    public const int MaxLength = QuoteLength;

    /// <summary>Writes <paramref name="tick"/> (sequenced: epoch and seq set); returns the length.</summary>
    public static int Write(in Tick tick, Span<byte> destination)
    {
        destination[0] = Version;
        destination[1] = (byte)tick.Kind;
        destination[2] = (byte)tick.Side;
        destination[3] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], tick.Conditions);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], tick.Epoch);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], tick.Seq);
        BinaryPrimitives.WriteInt64LittleEndian(destination[24..], tick.ExchangeTimeNs);
        BinaryPrimitives.WriteInt64LittleEndian(destination[32..], tick.ReceiveTimeNs);
        BinaryPrimitives.WriteInt64LittleEndian(destination[40..], tick.ServerTimeNs);
        if (tick.Kind == TickKind.Quote)
        {
            BinaryPrimitives.WriteInt64LittleEndian(destination[48..], tick.BidPrice);
            BinaryPrimitives.WriteInt64LittleEndian(destination[56..], tick.BidSize);
            BinaryPrimitives.WriteInt64LittleEndian(destination[64..], tick.AskPrice);
            BinaryPrimitives.WriteInt64LittleEndian(destination[72..], tick.AskSize);
            return QuoteLength;
        }

        BinaryPrimitives.WriteInt64LittleEndian(destination[48..], tick.Price);
        BinaryPrimitives.WriteInt64LittleEndian(destination[56..], tick.Size);
        return TradeLength;
    }

    /// <summary>
    /// Reads an update into <paramref name="tick"/> (symbol id left to the caller); false for a
    /// payload that is not a version-1 quote or trade of the right length or has no position.
    /// <paramref name="upstreamServerTimeNs"/> is the ingest's sequencing time (hop latency).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, ref Tick tick, out long upstreamServerTimeNs)
    {
        upstreamServerTimeNs = 0;
        if (source.Length < TradeLength || source[0] != Version)
        {
            return false;
        }

        var kind = (TickKind)source[1];
        if (!(kind == TickKind.Quote && source.Length == QuoteLength) && !(kind == TickKind.Trade && source.Length == TradeLength))
        {
            return false;
        }

        tick.Kind = kind;
        tick.Side = (TradeSide)source[2];
        tick.Conditions = BinaryPrimitives.ReadUInt16LittleEndian(source[4..]);
        tick.Epoch = BinaryPrimitives.ReadInt64LittleEndian(source[8..]);
        tick.Seq = BinaryPrimitives.ReadInt64LittleEndian(source[16..]);
        tick.ExchangeTimeNs = BinaryPrimitives.ReadInt64LittleEndian(source[24..]);
        tick.ReceiveTimeNs = BinaryPrimitives.ReadInt64LittleEndian(source[32..]);
        upstreamServerTimeNs = BinaryPrimitives.ReadInt64LittleEndian(source[40..]);
        tick.ServerTimeNs = 0;
        if (kind == TickKind.Quote)
        {
            tick.BidPrice = BinaryPrimitives.ReadInt64LittleEndian(source[48..]);
            tick.BidSize = BinaryPrimitives.ReadInt64LittleEndian(source[56..]);
            tick.AskPrice = BinaryPrimitives.ReadInt64LittleEndian(source[64..]);
            tick.AskSize = BinaryPrimitives.ReadInt64LittleEndian(source[72..]);
            tick.Price = 0;
            tick.Size = 0;
        }
        else
        {
            tick.Price = BinaryPrimitives.ReadInt64LittleEndian(source[48..]);
            tick.Size = BinaryPrimitives.ReadInt64LittleEndian(source[56..]);
            tick.BidPrice = tick.BidSize = tick.AskPrice = tick.AskSize = 0;
        }

        return tick.Epoch > 0 && tick.Seq > 0;
    }
}
