using System.Buffers.Binary;
using System.Text;
using MarketStream.Model;

namespace MarketStream.Journal.Format;

/// <summary>Encodes whole records (frame, body, checksum) into a span (docs/journal.md §3).</summary>
internal static class RecordWriter
{
    /// <summary>Bytes a record with a payload of <paramref name="payloadLength"/> takes.</summary>
    public static int RecordLength(int payloadLength) => JournalFormat.FrameLength + JournalFormat.BodyHeaderLength + payloadLength;

    /// <summary>Writes a record with an arbitrary payload; returns its length. The destination must hold <see cref="RecordLength"/> bytes.</summary>
    public static int Write(Span<byte> destination, RecordType type, ChannelKind channel, int symbolId, long epoch, long seq, long timeNs, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > JournalFormat.MaxPayloadLength)
        {
            throw new ArgumentException($"A journal payload holds at most {JournalFormat.MaxPayloadLength} bytes.", nameof(payload));
        }

        var body = BeginBody(destination, type, channel, symbolId, epoch, seq, timeNs, payload.Length);
        payload.CopyTo(body[JournalFormat.BodyHeaderLength..]);
        return Seal(destination, body.Length);
    }

    /// <summary>Writes the record of a sequenced quote or trade (no other kind); returns its length.</summary>
    public static int WriteTick(Span<byte> destination, in Tick tick)
    {
        Span<byte> body;
        if (tick.Kind == TickKind.Quote)
        {
            body = BeginBody(destination, RecordType.Update, ChannelKind.Quotes, tick.SymbolId, tick.Epoch, tick.Seq, tick.ServerTimeNs, JournalFormat.QuotePayloadLength);
            var p = body[JournalFormat.BodyHeaderLength..];
            BinaryPrimitives.WriteInt64LittleEndian(p, tick.BidPrice);
            BinaryPrimitives.WriteInt64LittleEndian(p[8..], tick.BidSize);
            BinaryPrimitives.WriteInt64LittleEndian(p[16..], tick.AskPrice);
            BinaryPrimitives.WriteInt64LittleEndian(p[24..], tick.AskSize);
            BinaryPrimitives.WriteInt64LittleEndian(p[32..], tick.ExchangeTimeNs);
            BinaryPrimitives.WriteInt64LittleEndian(p[40..], tick.ReceiveTimeNs);
        }
        else
        {
            body = BeginBody(destination, RecordType.Update, ChannelKind.Trades, tick.SymbolId, tick.Epoch, tick.Seq, tick.ServerTimeNs, JournalFormat.TradePayloadLength);
            var p = body[JournalFormat.BodyHeaderLength..];
            BinaryPrimitives.WriteInt64LittleEndian(p, tick.Price);
            BinaryPrimitives.WriteInt64LittleEndian(p[8..], tick.Size);
            BinaryPrimitives.WriteInt64LittleEndian(p[16..], tick.ExchangeTimeNs);
            BinaryPrimitives.WriteInt64LittleEndian(p[24..], tick.ReceiveTimeNs);
            p[32] = (byte)tick.Side;
            p[33] = 0;
            BinaryPrimitives.WriteUInt16LittleEndian(p[34..], tick.Conditions);
        }

        return Seal(destination, body.Length);
    }

    /// <summary>Bytes the record of a quote (the longer L1 payload) takes: room to reserve per tick.</summary>
    public static int MaxTickRecordLength => RecordLength(JournalFormat.QuotePayloadLength);

    /// <summary>Writes a gap record: <paramref name="missed"/> sequenced events are not in the journal.</summary>
    public static int WriteGap(Span<byte> destination, long missed, long timeNs)
    {
        var body = BeginBody(destination, RecordType.Gap, ChannelKind.None, -1, 0, 0, timeNs, JournalFormat.GapPayloadLength);
        BinaryPrimitives.WriteInt64LittleEndian(body[JournalFormat.BodyHeaderLength..], missed);
        return Seal(destination, body.Length);
    }

    /// <summary>Bytes a symbol definition record for <paramref name="info"/> takes.</summary>
    public static int SymbolDefinitionLength(SymbolInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return RecordLength(JournalFormat.SymbolDefinitionFixedLength + Encoding.UTF8.GetByteCount(info.Name) + Encoding.UTF8.GetByteCount(info.Currency) + Encoding.UTF8.GetByteCount(info.Venue));
    }

    /// <summary>Writes a symbol definition record (id → name, scales, currency, venue).</summary>
    public static int WriteSymbolDefinition(Span<byte> destination, SymbolInfo info, long timeNs)
    {
        ArgumentNullException.ThrowIfNull(info);
        var nameLength = Encoding.UTF8.GetByteCount(info.Name);
        var currencyLength = Encoding.UTF8.GetByteCount(info.Currency);
        var venueLength = Encoding.UTF8.GetByteCount(info.Venue);
        if (nameLength > byte.MaxValue || currencyLength > byte.MaxValue || venueLength > byte.MaxValue)
        {
            throw new ArgumentException("Symbol name, currency and venue must each encode to at most 255 UTF-8 bytes.", nameof(info));
        }

        var payloadLength = JournalFormat.SymbolDefinitionFixedLength + nameLength + currencyLength + venueLength;
        var body = BeginBody(destination, RecordType.SymbolDefinition, ChannelKind.None, info.Id, 0, 0, timeNs, payloadLength);
        var p = body[JournalFormat.BodyHeaderLength..];
        p[0] = info.PriceScale;
        p[1] = info.SizeScale;
        p[2] = (byte)nameLength;
        p[3] = (byte)currencyLength;
        p[4] = (byte)venueLength;
        var at = JournalFormat.SymbolDefinitionFixedLength;
        at += Encoding.UTF8.GetBytes(info.Name, p[at..]);
        at += Encoding.UTF8.GetBytes(info.Currency, p[at..]);
        Encoding.UTF8.GetBytes(info.Venue, p[at..]);
        return Seal(destination, body.Length);
    }

    private static Span<byte> BeginBody(Span<byte> destination, RecordType type, ChannelKind channel, int symbolId, long epoch, long seq, long timeNs, int payloadLength)
    {
        var body = destination.Slice(JournalFormat.FrameLength, JournalFormat.BodyHeaderLength + payloadLength);
        body[JournalFormat.BodyTypeOffset] = (byte)type;
        body[JournalFormat.BodyChannelOffset] = (byte)channel;
        BinaryPrimitives.WriteUInt16LittleEndian(body[JournalFormat.BodyFlagsOffset..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(body[JournalFormat.BodySymbolOffset..], symbolId);
        BinaryPrimitives.WriteInt64LittleEndian(body[JournalFormat.BodyEpochOffset..], epoch);
        BinaryPrimitives.WriteInt64LittleEndian(body[JournalFormat.BodySeqOffset..], seq);
        BinaryPrimitives.WriteInt64LittleEndian(body[JournalFormat.BodyTimeOffset..], timeNs);
        return body;
    }

    private static int Seal(Span<byte> destination, int bodyLength)
    {
        var body = destination.Slice(JournalFormat.FrameLength, bodyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)bodyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], Crc32C.Compute(body));
        return JournalFormat.FrameLength + bodyLength;
    }
}
