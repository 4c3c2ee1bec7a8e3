using System.Buffers;
using MarketStream.Model;
using MessagePack;

namespace MarketStream.Protocol.Tests;

/// <summary>
/// The channel forms of Subscribe and SnapshotRequest (docs/protocol.md §4.2, §4.4): the v1 form is untouched, the
/// new forms round-trip, and every invalid channel request gets its documented code (§5.2) with its request id.
/// </summary>
public class ChannelRequestReaderTests
{
    private const long T0 = ProtocolExamples.T0;

    /// <summary>An array of the message tree (a class, so that <c>A(A(1))</c> nests instead of passing the inner array as params).</summary>
    private sealed record Arr(object?[] Elements);

    private static Arr A(params object?[] elements) => new(elements);

    /// <summary>A message tree as MessagePack: integers in their smallest encoding, strings, nil.</summary>
    private static byte[] Pack(params object?[] elements)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        Write(ref w, A(elements));
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(ref MessagePackWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNil(); break;
            case string s: w.Write(s); break;
            case int i: w.Write(i); break;
            case long l: w.Write(l); break;
            case Arr a:
                w.WriteArrayHeader(a.Elements.Length);
                foreach (var e in a.Elements)
                {
                    Write(ref w, e);
                }

                break;
            default: throw new ArgumentException(value.GetType().Name);
        }
    }

    /// <summary>A Subscribe of AAPL with the given channels element (and replay, if any).</summary>
    private static byte[] Subscribe(object? channels, params object?[] tail) =>
        Pack([2, 41, A("AAPL"), 0, 0, 0, A(), channels, .. tail]);

    private static ProtocolError Reject(byte[] bytes, DecoderLimits? limits = null)
    {
        Assert.False(ClientMessageReader.TryRead(bytes.AsMemory(), limits ?? DecoderLimits.ClientInput, out var message, out var error));
        Assert.Null(message);
        return error;
    }

    private static SubscribeRequest Accept(byte[] bytes, DecoderLimits? limits = null)
    {
        Assert.True(ClientMessageReader.TryRead(bytes.AsMemory(), limits ?? DecoderLimits.ClientInput, out var message, out var error), error.ToString());
        var request = Assert.IsType<SubscribeRequest>(message);
        Assert.Equal(bytes, Wire.Encode(request)); // decoded and re-encoded byte for byte
        return request;
    }

    [Fact]
    public void Subscribe_V1Form_IsUnchangedByteForByte()
    {
        // The v1 Subscribe as its spec wrote it, field by field, before channels existed.
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteArrayHeader(7);
        w.Write(2);
        w.Write(3);
        w.WriteArrayHeader(1);
        w.Write("EUR*");
        w.Write(1);
        w.Write(100);
        w.Write(2000);
        w.WriteArrayHeader(1);
        w.WriteArrayHeader(3);
        w.Write("EURUSD");
        w.Write(1);
        w.Write(1042);
        w.Flush();
        var v1 = buffer.WrittenSpan.ToArray();

        var written = Wire.Encode(new SubscribeRequest(3, ["EUR*"], SubscriptionMode.Full, 100, 2000, [new("EURUSD", 1, 1042)]));
        Assert.Equal(v1, written);

        var decoded = Accept(v1);
        Assert.Null(decoded.Channels);
        Assert.Null(decoded.Replay);
        Assert.Equal(ChannelKind.None, Assert.Single(decoded.Resume).Channel);
    }

    [Fact]
    public void Subscribe_EveryChannel_DecodesParameters()
    {
        var s = Accept(Subscribe(A(A(1), A(2, 100), A(3, 50), A(4, 1, 1000), A(4, 3600, 0), A(5), A(6))));
        Assert.Equal(
            [ChannelRequest.Quotes, ChannelRequest.Trades(100), ChannelRequest.Book(50), ChannelRequest.Bars(1, 1000), ChannelRequest.Bars(3600), ChannelRequest.Statistics, ChannelRequest.Status],
            s.Channels);
        Assert.Null(s.Replay);
    }

    [Fact]
    public void Subscribe_NilChannels_MeansQuotesAndTrades()
    {
        var s = Accept(Subscribe(null, A(T0, 100)));
        Assert.Null(s.Channels);
        Assert.Equal(new ReplayStart(T0, 100), s.Replay);
    }

    [Fact]
    public void Subscribe_BookDepthBelowMinimum_IsKeptAsSentAndRaisedWhenDelivered()
    {
        var s = Accept(Subscribe(A(A(3, 0))));
        Assert.Equal(0, Assert.Single(s.Channels!).Depth);
        Assert.Equal(ChannelLimits.DefaultBookDepth, ChannelLimits.EffectiveBookDepth(0));
        Assert.Equal(ChannelLimits.MinBookDepth, ChannelLimits.EffectiveBookDepth(3));
        Assert.Equal(25, ChannelLimits.EffectiveBookDepth(25));
    }

    [Fact]
    public void Subscribe_ChannelResumePositions_RoundTrip()
    {
        var s = Accept(Pack(2, 41, A("AAPL"), 0, 0, 0, A(A("AAPL", 1, 76), A("AAPL", 1, 5210, 3, 0), A("AAPL", 2, 9, 4, 60)), A(A(1), A(3, 10), A(4, 60, 0))));
        Assert.Equal(
            [new ResumePosition("AAPL", 1, 76), new ResumePosition("AAPL", 1, 5210) { Channel = ChannelKind.Book }, new ResumePosition("AAPL", 2, 9) { Channel = ChannelKind.Bars, IntervalSeconds = 60 }],
            s.Resume);
    }

    public static TheoryData<string, byte[], ErrorCode> Invalid => new()
    {
        { "unknown channel", Subscribe(A(A(1), A(7))), ErrorCode.UnknownChannel },
        { "channel 0", Subscribe(A(A(0))), ErrorCode.UnknownChannel },
        { "channel code not an integer", Subscribe(A(A("book", 10))), ErrorCode.InvalidField },
        { "book depth above the cap", Subscribe(A(A(3, 51))), ErrorCode.BookDepthTooLarge },
        { "book depth huge", Subscribe(A(A(3, long.MaxValue))), ErrorCode.BookDepthTooLarge },
        { "book depth negative", Subscribe(A(A(3, -1))), ErrorCode.InvalidField },
        { "bar interval not computed", Subscribe(A(A(4, 120, 0))), ErrorCode.UnknownInterval },
        { "bar interval zero", Subscribe(A(A(4, 0, 0))), ErrorCode.InvalidField },
        { "bars history above the cap", Subscribe(A(A(4, 60, 1001))), ErrorCode.HistoryTooLarge },
        { "trades history above the cap", Subscribe(A(A(2, 101))), ErrorCode.HistoryTooLarge },
        { "trades history negative", Subscribe(A(A(2, -5))), ErrorCode.InvalidField },
        { "channel twice", Subscribe(A(A(1), A(5), A(1))), ErrorCode.DuplicateChannel },
        { "bar interval twice", Subscribe(A(A(4, 60, 0), A(4, 60, 10))), ErrorCode.DuplicateChannel },
        { "entry too short", Subscribe(A(A(3))), ErrorCode.InvalidField },
        { "entry too long", Subscribe(A(A(1, 5))), ErrorCode.InvalidField },
        { "entry empty", Subscribe(A(A())), ErrorCode.InvalidField },
        { "entry not an array", Subscribe(A(1)), ErrorCode.InvalidField },
        { "no channels", Subscribe(A()), ErrorCode.InvalidField },
        { "17 entries", Subscribe(A(Enumerable.Range(0, 17).Select(i => (object?)A(4, 60, i)).ToArray())), ErrorCode.InvalidField },
        { "channels not an array", Subscribe(3), ErrorCode.InvalidField },
        { "replay start 0", Subscribe(A(A(1)), A(0, 0)), ErrorCode.InvalidField },
        { "replay pace above 10000", Subscribe(A(A(1)), A(T0, 10_001)), ErrorCode.InvalidField },
        { "replay without pace", Subscribe(A(A(1)), A(T0)), ErrorCode.InvalidField },
        { "replay not an array", Subscribe(A(A(1)), T0), ErrorCode.InvalidField },
        { "ten elements", Subscribe(A(A(1)), null, 0), ErrorCode.InvalidField },
        { "resume of 4 elements", Pack(2, 41, A("AAPL"), 0, 0, 0, A(A("AAPL", 1, 76, 3))), ErrorCode.InvalidField },
        { "resume unknown channel", Pack(2, 41, A("AAPL"), 0, 0, 0, A(A("AAPL", 1, 76, 9, 0))), ErrorCode.UnknownChannel },
        { "resume bars interval not computed", Pack(2, 41, A("AAPL"), 0, 0, 0, A(A("AAPL", 1, 76, 4, 7))), ErrorCode.UnknownInterval },
        { "resume book with an interval", Pack(2, 41, A("AAPL"), 0, 0, 0, A(A("AAPL", 1, 76, 3, 60))), ErrorCode.InvalidField },
        { "snapshot request unknown channel", Pack(4, 41, "AAPL", 9), ErrorCode.UnknownChannel },
        { "snapshot request of 5 elements", Pack(4, 41, "AAPL", 3, 0), ErrorCode.InvalidField },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void TryRead_InvalidChannelRequest_RefusedWithItsCode(string caseName, byte[] bytes, ErrorCode expected)
    {
        var error = Reject(bytes);
        Assert.True(expected == error.Code, $"{caseName}: expected {expected}, got {error.Code} ({error.Message})");
        Assert.Equal(41, error.RequestId);
    }

    [Fact]
    public void TryRead_ServerLimits_DecideTheCaps()
    {
        var limits = new DecoderLimits
        {
            Channels = new ChannelLimits { MaxBookDepth = 200, MaxTradesHistory = 10, BarIntervalsSeconds = [15] },
        };
        Assert.Equal(200, Assert.Single(Accept(Subscribe(A(A(3, 200))), limits).Channels!).Depth);
        Assert.Equal(ErrorCode.BookDepthTooLarge, Reject(Subscribe(A(A(3, 201))), limits).Code);
        Assert.Equal(ErrorCode.HistoryTooLarge, Reject(Subscribe(A(A(2, 11))), limits).Code);
        Assert.Equal(15, Assert.Single(Accept(Subscribe(A(A(4, 15, 0))), limits).Channels!).IntervalSeconds);
        Assert.Equal(ErrorCode.UnknownInterval, Reject(Subscribe(A(A(4, 60, 0))), limits).Code);

        // A cap below the checksum's 10 levels or above 1,000 is a configuration error, refused at start-up.
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelLimits { MaxBookDepth = 9 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelLimits { MaxBookDepth = 1001 });
    }

    [Fact]
    public void TryRead_SnapshotRequestForOneChannel_RoundTrips()
    {
        var bytes = Pack(4, 41, "AAPL", 3);
        var request = Assert.IsType<SnapshotRequest>(Wire.DecodeClient(bytes));
        Assert.Equal(ChannelKind.Book, request.Channel);
        Assert.Equal("AAPL", request.Symbol);
        Assert.Equal(bytes, Wire.Encode(request));

        var v1 = Pack(4, 41, "AAPL");
        Assert.Equal(ChannelKind.None, Assert.IsType<SnapshotRequest>(Wire.DecodeClient(v1)).Channel);
        Assert.Equal(v1, Wire.Encode(new SnapshotRequest(41, "AAPL")));
    }
}
