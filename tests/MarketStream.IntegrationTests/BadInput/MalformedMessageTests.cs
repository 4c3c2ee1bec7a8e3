using System.Buffers;
using MarketStream.IntegrationTests.Infrastructure;
using MarketStream.Protocol;
using MessagePack;

namespace MarketStream.IntegrationTests.BadInput;

/// <summary>
/// docs/protocol.md §5, §7: bytes the decoder must refuse, sent as one binary message each on a real
/// server. Every case: the documented Error code, logged once (Malformed, event 104, plus the Error's
/// RequestRefused line), the attacker's session still served, the healthy client unaffected.
/// </summary>
[Collection(BadInputCollection.Name)]
public sealed class MalformedMessageTests(BadInputServer fixture)
{
    private static readonly Dictionary<string, (byte[] Bytes, ErrorCode Code)> Cases = new()
    {
        // Not well-formed MessagePack (1000).
        ["empty message"] = (Hex(""), ErrorCode.MalformedMessage),
        ["never-used byte 0xc1"] = (Hex("c1"), ErrorCode.MalformedMessage),
        ["Ping truncated inside its uint32"] = (Hex("93 05 01 ce 07 5b"), ErrorCode.MalformedMessage),
        ["Ping followed by trailing bytes"] = (Hex("93 05 01 01 00"), ErrorCode.MalformedMessage),
        ["random garbage"] = (Garbage(48, seed: 11), ErrorCode.MalformedMessage),
        // Not an array [type, …] or an unknown type (1001).
        ["a bare integer"] = (Hex("05"), ErrorCode.UnknownMessageType),
        ["a map instead of an array"] = (Hex("82 01 05 02 01"), ErrorCode.UnknownMessageType),
        ["an empty array"] = (Hex("90"), ErrorCode.UnknownMessageType),
        ["unknown type 99"] = (Hex("93 63 01 01"), ErrorCode.UnknownMessageType),
        ["a server type (Welcome) sent by a client"] = (Hex("93 10 01 01"), ErrorCode.UnknownMessageType),
        ["type code as a string"] = (Hex("93 a1 35 01 01"), ErrorCode.UnknownMessageType),
        // Request id (1012).
        ["request id 0"] = (Hex("93 05 00 01"), ErrorCode.InvalidRequestId),
        ["negative request id"] = (Hex("93 05 ff 01"), ErrorCode.InvalidRequestId),
        ["request id as a string"] = (Hex("93 05 a1 31 01"), ErrorCode.InvalidRequestId),
        ["request id nil"] = (Hex("93 05 c0 01"), ErrorCode.InvalidRequestId),
        // Wrong element count, type or range (1002).
        ["Ping with 2 elements"] = (Hex("92 05 01"), ErrorCode.InvalidField),
        ["Ping with 4 elements"] = (Hex("94 05 01 01 01"), ErrorCode.InvalidField),
        ["Subscribe mode 7"] = (Hex("97 02 01 91 a4 41 41 50 4c 07 00 00 90"), ErrorCode.InvalidField),
        ["Subscribe symbols as a string"] = (Hex("97 02 01 a4 41 41 50 4c 00 00 00 90"), ErrorCode.InvalidField),
        ["Subscribe maxRateMs as a float"] = (Hex("97 02 01 91 a4 41 41 50 4c 00 ca 3f 80 00 00 00 90"), ErrorCode.InvalidField),
        ["Subscribe maxRateMs beyond one day"] = (Hex("97 02 01 91 a4 41 41 50 4c 00 ce 05 26 5c 01 00 90"), ErrorCode.InvalidField),
        ["Subscribe with no symbols"] = (Hex("97 02 01 90 00 00 00 90"), ErrorCode.InvalidField),
        ["Subscribe symbol entry an integer"] = (Hex("97 02 01 92 a4 41 41 50 4c 07 00 00 00 90"), ErrorCode.InvalidField),
        ["Subscribe symbol entry nil"] = (Hex("97 02 01 91 c0 00 00 00 90"), ErrorCode.InvalidField),
        ["Subscribe resume symbol an integer"] = (Hex("97 02 01 91 a4 41 41 50 4c 00 00 00 91 93 05 01 01"), ErrorCode.InvalidField),
        ["SnapshotRequest symbol an integer"] = (Hex("93 04 01 07"), ErrorCode.InvalidField),
        ["Authenticate token as binary"] = (Hex("93 01 01 c4 03 61 62 63"), ErrorCode.InvalidField),
        ["Ping time as an extension type"] = (Hex("93 05 01 d4 01 00"), ErrorCode.InvalidField),
        // Collections and strings (1004): limits and headers claiming more than the message holds.
        ["array32 header claiming 2^31 elements"] = (Hex("dd 80 00 00 00 05 01"), ErrorCode.CollectionTooLarge),
        ["map32 header claiming 2^30 pairs"] = (Hex("df 40 00 00 00 01 02"), ErrorCode.CollectionTooLarge),
        ["Authenticate str32 claiming 2 GiB"] = (Hex("93 01 01 db 80 00 00 00 61"), ErrorCode.CollectionTooLarge),
        ["Subscribe with 5000 symbols"] = (Subscribe(Enumerable.Repeat("AAPL", 5000).ToArray()), ErrorCode.CollectionTooLarge),
        ["Authenticate with a 5000-byte token"] = (Authenticate(new string('a', 5000)), ErrorCode.CollectionTooLarge),
        // Nesting (1005).
        ["Subscribe symbols nested 4 deep"] = (Hex("97 02 01 91 91 91 a1 41 00 00 00 90"), ErrorCode.NestingTooDeep),
        ["arrays nested 1000 deep"] = ([.. Enumerable.Repeat((byte)0x91, 1000), 0x01], ErrorCode.NestingTooDeep),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Message_Malformed_DocumentedErrorLoggedOnce_SessionServed_HealthyUnaffected(string name)
    {
        var (bytes, code) = Cases[name];
        var since = HealthyClientMonitor.Now;
        var (attacker, sessionId) = await fixture.ConnectAsync();
        await using var _ = attacker;

        await attacker.SendRawAsync(bytes);

        var error = await attacker.ExpectAsync<ErrorMessage>();
        Assert.Equal(code, error.Code);
        await BadInputServer.AssertStillServedAsync(attacker);
        await fixture.AssertLoggedOnceAsync(104, sessionId, "Malformed");
        await fixture.AssertRefusalLoggedOnceAsync(sessionId, code);
        await fixture.Healthy.AssertUnaffectedSinceAsync(since);
    }

    internal static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    private static byte[] Garbage(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0xc1; // never a valid start, whatever the seed produced
        return bytes;
    }

    private static byte[] Subscribe(string[] symbols)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ClientMessageWriter.Write(buffer, new SubscribeRequest(1, symbols, SubscriptionMode.Conflated, 0, 0, []));
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Authenticate(string token)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(3);
        writer.Write(1);
        writer.Write(1);
        writer.Write(token);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
