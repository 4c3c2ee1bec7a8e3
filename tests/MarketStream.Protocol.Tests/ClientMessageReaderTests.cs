using System.Buffers;
using MessagePack;
using MarketStream.Model;

namespace MarketStream.Protocol.Tests;

public class ClientMessageReaderTests
{
    private static byte[] Build(Action<MessagePackWriter> write) => BuildRef(write);

    private static byte[] BuildRef(Action<MessagePackWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        write(w);
        return buffer.WrittenSpan.ToArray();
    }

    private static ProtocolError Reject(byte[] bytes)
    {
        Assert.False(ClientMessageReader.TryRead(bytes.AsMemory(), out var message, out var error));
        Assert.Null(message);
        Assert.True(error.IsError);
        return error;
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Fact]
    public void TryRead_EveryRequestType_RoundTrips()
    {
        var requests = new ClientMessage[]
        {
            new AuthenticateRequest(1, "token"),
            new SubscribeRequest(2, ["*", "EUR*", "BRK.B"], SubscriptionMode.Full, 50, 1000, [new("EURUSD", 3, 99)]),
            new UnsubscribeRequest(3, 2),
            new SnapshotRequest(4, "AAPL"),
            new PingRequest(5, -7),
            new IngestTicksRequest(6, [new("X", new Tick { Kind = TickKind.Trade, Price = long.MaxValue, Size = long.MinValue, Side = TradeSide.Sell, Conditions = ushort.MaxValue })]),
        };
        foreach (var request in requests)
        {
            var bytes = Wire.Encode(request);
            var decoded = Wire.DecodeClient(bytes);
            Assert.Equal(request.GetType(), decoded.GetType());
            Assert.Equal(request.RequestId, decoded.RequestId);
            Assert.Equal(bytes, Wire.Encode(decoded));
        }
    }

    [Fact]
    public void TryRead_Subscribe_FieldsDecoded()
    {
        var s = Assert.IsType<SubscribeRequest>(Wire.DecodeClient(Wire.Encode(new SubscribeRequest(9, ["EUR*"], SubscriptionMode.Full, 100, 2000, [new("EURUSD", 1, 1042)]))));
        Assert.Equal(["EUR*"], s.Symbols);
        Assert.Equal(SubscriptionMode.Full, s.Mode);
        Assert.Equal(100, s.MaxRateMs);
        Assert.Equal(2000, s.MaxLagMs);
        Assert.Equal(new ResumePosition("EURUSD", 1, 1042), Assert.Single(s.Resume));
    }

    [Fact]
    public void TryRead_MultiSegmentSequence_Decodes()
    {
        var bytes = Wire.Encode(new SnapshotRequest(4, "AAPL"));
        var first = new Segment(bytes.AsMemory(0, 3));
        var last = first.Append(bytes.AsMemory(3));
        Assert.True(ClientMessageReader.TryRead(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), out var m, out _));
        Assert.Equal("AAPL", Assert.IsType<SnapshotRequest>(m).Symbol);
    }

    [Fact]
    public void TryRead_SymbolAtMaxLength_Accepted_OneLonger_Rejected()
    {
        var ok = new string('A', SymbolInfo.MaxNameLength);
        Assert.Equal(ok, Assert.IsType<SnapshotRequest>(Wire.DecodeClient(Wire.Encode(new SnapshotRequest(1, ok)))).Symbol);
        var error = Reject(Wire.Encode(new SnapshotRequest(1, ok + "A")));
        Assert.Equal(ErrorCode.InvalidSymbol, error.Code);
        Assert.Equal(1, error.RequestId);
        Assert.Equal(ErrorCode.InvalidPattern, Reject(Wire.Encode(new SubscribeRequest(2, [ok + "*"], 0, 0, 0, []))).Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("EUR USD")]
    [InlineData("EUR*")]
    [InlineData("ÄPPLE")]
    [InlineData("a\0b")]
    [InlineData("<script>")]
    public void TryRead_BadSymbolName_RejectedWithInvalidSymbol(string name) =>
        Assert.Equal(ErrorCode.InvalidSymbol, Reject(Wire.Encode(new SnapshotRequest(1, name))).Code);

    /// <summary>§5: a symbol entry of the wrong type is 1002 InvalidField, not 1006/1007 (those are for strings that are not valid names).</summary>
    [Theory]
    [InlineData("97 02 01 91 01 00 00 00 90")] // Subscribe symbols [1]
    [InlineData("97 02 01 92 a4 41 41 50 4c c0 00 00 00 90")] // Subscribe symbols ["AAPL", nil]
    [InlineData("97 02 01 91 92 a1 41 a1 42 00 00 00 90")] // Subscribe symbols [["A", "B"]]
    [InlineData("97 02 01 91 c4 01 41 00 00 00 90")] // Subscribe symbols [bin "A"]
    [InlineData("97 02 01 91 a4 41 41 50 4c 00 00 00 91 93 05 01 01")] // resume [[5, 1, 1]]
    [InlineData("93 04 01 07")] // SnapshotRequest symbol 7
    [InlineData("93 04 01 c0")] // SnapshotRequest symbol nil
    public void TryRead_SymbolOfWrongType_RejectedWithInvalidField(string hex)
    {
        var error = Reject(Hex(hex));
        Assert.Equal((ErrorCode.InvalidField, 1L), (error.Code, error.RequestId));
    }

    [Theory]
    [InlineData("EUR?")]
    [InlineData("")]
    [InlineData("A B*")]
    public void TryRead_BadPattern_RejectedWithInvalidPattern(string pattern) =>
        Assert.Equal(ErrorCode.InvalidPattern, Reject(Wire.Encode(new SubscribeRequest(1, [pattern], 0, 0, 0, []))).Code);

    [Fact]
    public void TryRead_DeepNesting_Rejected() =>
        Assert.Equal(ErrorCode.NestingTooDeep, Reject(Hex("92 02 91 91 91 01")).Code);

    [Fact]
    public void TryRead_HugeClaimedArray_RejectedWithoutAllocating()
    {
        // [2, 1, array32(2^31-1) …]: the header claims two billion symbols in a 16-byte message.
        var bytes = Hex("97 02 01 dd 7f ff ff ff a1 41 00 00 00 90");
        Reject(bytes); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Reject(bytes);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(ErrorCode.CollectionTooLarge, error.Code);
        Assert.True(allocated < 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void TryRead_ClaimsMoreElementsThanBytes_Rejected() =>
        Assert.Equal(ErrorCode.CollectionTooLarge, Reject(Hex("dc 00 10 02 01")).Code);

    [Fact]
    public void TryRead_HugeClaimedString_Rejected() =>
        Assert.Equal(ErrorCode.CollectionTooLarge, Reject(Hex("93 04 01 db 7f ff ff ff 41")).Code);

    [Fact]
    public void TryRead_TooLarge_Rejected()
    {
        var limits = new DecoderLimits { MaxMessageBytes = 64 };
        var bytes = Wire.Encode(new AuthenticateRequest(1, new string('a', 100)));
        Assert.False(ClientMessageReader.TryRead(new ReadOnlySequence<byte>(bytes), limits, out _, out var error));
        Assert.Equal(ErrorCode.MessageTooLarge, error.Code);
    }

    [Fact]
    public void TryRead_TooManySymbols_Rejected()
    {
        var symbols = Enumerable.Repeat("A", DecoderLimits.ClientInput.MaxCollectionLength + 1).ToArray();
        Assert.Equal(ErrorCode.CollectionTooLarge, Reject(Wire.Encode(new SubscribeRequest(1, symbols, 0, 0, 0, []))).Code);
    }

    [Theory]
    [InlineData("", ErrorCode.MalformedMessage)] // empty
    [InlineData("c1", ErrorCode.MalformedMessage)] // never-used byte
    [InlineData("93 05 01 cd 00", ErrorCode.MalformedMessage)] // truncated inside a value
    [InlineData("93 05 01", ErrorCode.CollectionTooLarge)] // array claims more elements than bytes remain
    [InlineData("93 05 01 02 ff", ErrorCode.MalformedMessage)] // trailing byte
    [InlineData("05", ErrorCode.UnknownMessageType)] // not an array
    [InlineData("90", ErrorCode.UnknownMessageType)] // empty array
    [InlineData("81 01 02", ErrorCode.UnknownMessageType)] // a map
    [InlineData("93 a1 41 01 02", ErrorCode.UnknownMessageType)] // string type code
    [InlineData("91 05", ErrorCode.InvalidRequestId)] // no request id
    [InlineData("93 05 00 01", ErrorCode.InvalidRequestId)] // zero request id
    [InlineData("93 05 ff 01", ErrorCode.InvalidRequestId)] // negative request id
    [InlineData("93 05 cf ff ff ff ff ff ff ff ff 01", ErrorCode.InvalidRequestId)] // uint64 above int64
    [InlineData("93 05 cb 3f f0 00 00 00 00 00 00 01", ErrorCode.InvalidRequestId)] // float request id
    [InlineData("93 10 01 01", ErrorCode.UnknownMessageType)] // server type code
    [InlineData("93 63 01 01", ErrorCode.UnknownMessageType)] // unknown type code
    [InlineData("94 05 01 01 01", ErrorCode.InvalidField)] // Ping with 4 elements
    [InlineData("93 05 01 a1 41", ErrorCode.InvalidField)] // Ping clientTime is a string
    [InlineData("93 05 01 c0", ErrorCode.InvalidField)] // Ping clientTime is nil
    [InlineData("97 02 01 90 00 00 00 90", ErrorCode.InvalidField)] // Subscribe with no symbols
    [InlineData("97 02 01 91 a1 41 02 00 00 90", ErrorCode.InvalidField)] // mode 2
    [InlineData("97 02 01 91 a1 41 00 ff 00 90", ErrorCode.InvalidField)] // negative maxRate
    [InlineData("97 02 01 91 a1 41 00 00 00 c0", ErrorCode.InvalidField)] // resume nil
    [InlineData("97 02 01 91 a1 41 00 00 00 91 92 a1 41 01", ErrorCode.InvalidField)] // resume entry of 2
    [InlineData("93 01 01 a0", ErrorCode.InvalidField)] // empty token
    [InlineData("93 01 01 c4 01 41", ErrorCode.InvalidField)] // token as bin
    [InlineData("93 06 01 a1 41", ErrorCode.InvalidField)] // ingest ticks not an array
    [InlineData("94 06 01 90 00", ErrorCode.InvalidField)] // IngestTicks with 4 elements
    [InlineData("93 03 01 d4 01 01", ErrorCode.InvalidField)] // ext as subscription id
    public void TryRead_Malformed_ReturnsError(string hex, ErrorCode expected) =>
        Assert.Equal(expected, Reject(Hex(hex)).Code);

    /// <summary>
    /// docs/protocol.md §4.17: a bad tick entry refuses that tick (with its §5.1 code), not the
    /// message; the entries after it still decode.
    /// </summary>
    [Theory]
    [InlineData("97 a1 41 03 00 00 00 00 00", IngestRejectCode.BadKind)]
    [InlineData("97 a1 41 02 00 00 00 03 00", IngestRejectCode.BadSide)]
    [InlineData("97 a1 41 02 00 00 00 ff 00", IngestRejectCode.BadSide)]
    [InlineData("97 a1 41 02 00 00 00 01 ce 00 01 00 00", IngestRejectCode.MalformedTick)] // conditions 65536
    [InlineData("97 a2 41 20 01 00 00 00 00 00", IngestRejectCode.InvalidSymbol)] // "A "
    [InlineData("97 a0 01 00 00 00 00 00", IngestRejectCode.InvalidSymbol)] // ""
    [InlineData("97 01 01 00 00 00 00 00", IngestRejectCode.MalformedTick)] // symbol not a string
    [InlineData("96 a1 41 01 00 00 00 00", IngestRejectCode.MalformedTick)] // 6 fields
    [InlineData("a1 41", IngestRejectCode.MalformedTick)] // not an array
    [InlineData("97 a1 41 01 c0 00 00 00 00", IngestRejectCode.MalformedTick)] // nil exchange time
    [InlineData("97 a1 41 01 00 00 00 a1 41 00", IngestRejectCode.MalformedTick)] // ask price a string
    [InlineData("97 a1 41 01 00 00 00 00 c3", IngestRejectCode.MalformedTick)] // ask size a bool
    public void TryRead_IngestBadEntry_RefusesThatTickOnly(string entryHex, IngestRejectCode expected)
    {
        // [6, 1, [good, bad, good]]
        var good = "97 a1 42 01 00 01 02 03 04";
        var bytes = Hex($"93 06 01 93 {good} {entryHex} {good}");
        Assert.True(ClientMessageReader.TryRead(bytes.AsMemory(), out var message, out var error), error.Message);
        var ticks = Assert.IsType<IngestTicksRequest>(message).Ticks;
        Assert.Equal(3, ticks.Count);
        Assert.Equal(expected, ticks[1].Reject);
        foreach (var ok in new[] { ticks[0], ticks[2] })
        {
            Assert.Equal(IngestRejectCode.None, ok.Reject);
            Assert.Equal("B", ok.Symbol);
            Assert.Equal((1L, 2L, 3L, 4L), (ok.Tick.BidPrice, ok.Tick.BidSize, ok.Tick.AskPrice, ok.Tick.AskSize));
        }
    }

    [Fact]
    public void TryRead_ErrorAfterRequestId_EchoesRequestId() =>
        Assert.Equal(42, Reject(Hex("93 63 2a 01")).RequestId);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
