using System.Buffers.Binary;
using System.Text;
using MarketStream.Core.Symbols;
using MarketStream.Model;

namespace MarketStream.Cluster;

/// <summary>
/// The reply to a snapshot request on <c>{prefix}.snap.{symbol}</c>: the ingest node's last-value
/// cache at <c>(epoch, seq)</c> plus the symbol's reference data, so a gateway can register a symbol
/// it has never heard of (one added at runtime by the ingest endpoint) from the reply alone.
/// </summary>
/// <remarks>
/// <code>
/// 0 u8 version (1)  1 u8 priceScale  2 u8 sizeScale  3 u8 flags (1 hasQuote, 2 hasTrade)  4 u8 lastSide  5..7 0
/// 8 epoch 16 seq 24 bid 32 bidSize 40 ask 48 askSize 56 lastPrice 64 lastSize 72 open 80 high 88 low
/// 96 volume 104 tradeCount 112 exchangeTimeNs 120 serverTimeNs (all i64 little-endian)
/// 128 u8 currency length, currency (UTF-8), u8 venue length, venue (UTF-8)
/// </code>
/// </remarks>
internal static class SnapshotCodec
{
    public const byte Version = 1;
    private const int FixedLength = 128;

    public static byte[] Write(SymbolInfo info, in SymbolSnapshot s)
    {
        var currency = Encoding.UTF8.GetBytes(info.Currency);
        var venue = Encoding.UTF8.GetBytes(info.Venue);
        var buffer = new byte[FixedLength + 2 + Math.Min(currency.Length, 255) + Math.Min(venue.Length, 255)];
        var d = buffer.AsSpan();
        d[0] = Version;
        d[1] = info.PriceScale;
        d[2] = info.SizeScale;
        d[3] = (byte)((s.HasQuote ? 1 : 0) | (s.HasTrade ? 2 : 0));
        d[4] = (byte)s.LastSide;
        ReadOnlySpan<long> fields =
        [
            s.Epoch, s.Seq, s.BidPrice, s.BidSize, s.AskPrice, s.AskSize, s.LastPrice, s.LastSize,
            s.Open, s.High, s.Low, s.Volume, s.TradeCount, s.ExchangeTimeNs, s.ServerTimeNs,
        ];
        for (var i = 0; i < fields.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(d[(8 + (i * 8))..], fields[i]);
        }

        var at = FixedLength;
        at = WriteString(d, at, currency);
        WriteString(d, at, venue);
        return buffer;
    }

    /// <summary>Reads a reply; false if it is malformed (wrong version, short, scales out of range, no position).</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, string name, out SymbolDefinition definition, out SymbolSnapshot snapshot)
    {
        definition = default;
        snapshot = default;
        if (source.Length < FixedLength + 2 || source[0] != Version || source[1] > SymbolInfo.MaxScale || source[2] > SymbolInfo.MaxScale)
        {
            return false;
        }

        Span<long> f = stackalloc long[15];
        for (var i = 0; i < f.Length; i++)
        {
            f[i] = BinaryPrimitives.ReadInt64LittleEndian(source[(8 + (i * 8))..]);
        }

        snapshot = new SymbolSnapshot
        {
            HasQuote = (source[3] & 1) != 0,
            HasTrade = (source[3] & 2) != 0,
            LastSide = (TradeSide)source[4],
            Epoch = f[0], Seq = f[1], BidPrice = f[2], BidSize = f[3], AskPrice = f[4], AskSize = f[5],
            LastPrice = f[6], LastSize = f[7], Open = f[8], High = f[9], Low = f[10], Volume = f[11],
            TradeCount = f[12], ExchangeTimeNs = f[13], ServerTimeNs = f[14],
        };
        if (snapshot.Epoch <= 0 || snapshot.Seq < 0
            || !TryReadString(source, FixedLength, out var currency, out var next)
            || !TryReadString(source, next, out var venue, out _))
        {
            return false;
        }

        definition = new SymbolDefinition(name, source[1], source[2], currency, venue);
        return true;
    }

    private static int WriteString(Span<byte> d, int at, byte[] bytes)
    {
        var length = Math.Min(bytes.Length, 255);
        d[at] = (byte)length;
        bytes.AsSpan(0, length).CopyTo(d[(at + 1)..]);
        return at + 1 + length;
    }

    private static bool TryReadString(ReadOnlySpan<byte> source, int at, out string value, out int next)
    {
        value = "";
        next = at;
        if (at >= source.Length || at + 1 + source[at] > source.Length)
        {
            return false;
        }

        value = Encoding.UTF8.GetString(source.Slice(at + 1, source[at]));
        next = at + 1 + source[at];
        return true;
    }
}
