using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MarketStream.BrowserTests.Infrastructure;

namespace MarketStream.BrowserTests;

/// <summary>
/// The page's protocol module, run in Chromium, against every example of docs/protocol.md: server
/// messages decode to exactly the documented fields (int64s compared as decimal strings, so a
/// rounded nanosecond or mantissa fails), and client requests encode to exactly the documented bytes.
/// </summary>
public sealed partial class ProtocolContractTests(Chromium chromium)
{
    [Fact]
    public async Task DocExamples_DecodeAndEncodeInTheBrowser_MatchTheSpec()
    {
        var examples = ReadExamples();
        Assert.True(examples.Count >= 20, $"expected the examples of docs/protocol.md, found {examples.Count}");

        await using var server = await WebServer.StartAsync();
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync(new Uri(server.BaseAddress, "?symbols=EURUSD").ToString());
        await page.WaitForFunctionAsync("() => window.marketstream !== undefined");

        var checkedServer = 0;
        var checkedClient = 0;
        foreach (var (name, json, hex) in examples)
        {
            var doc = JsonNode.Parse(json)!.AsArray();
            var type = doc[0]!.GetValue<int>();
            if (IsChannelExample(doc))
            {
                // The page takes the v1 streams; the channel messages (§2.5) are not served yet.
                continue;
            }

            if (type >= 16)
            {
                var expected = type == 24 ? doc[1]!.AsArray().Select(Normalize).ToList() : [Normalize(doc)];
                var actual = await page.EvaluateAsync<string>(
                    "hex => JSON.stringify(window.marketstream.protocol.decodeFrame(new Uint8Array(hex.trim().split(/\\s+/).map(h => parseInt(h, 16)))).map(window.marketstream.protocol.toWireShape))",
                    hex);
                Assert.Equal(new JsonArray([.. expected]).ToJsonString(), actual);
                checkedServer++;
            }
            else if (type != 6)
            {
                var actual = await page.EvaluateAsync<string>(EncodeScript, json);
                Assert.True(Hex(hex) == actual, $"{name}: encoded {actual}, spec says {Hex(hex)}");
                checkedClient++;
            }
        }

        Assert.True(checkedServer >= 14 && checkedClient >= 5, $"checked {checkedServer} server and {checkedClient} client examples");

        // A real resume position: the epoch (Unix ms) needs 64 bits and must go as an integer (uint64),
        // never as the float64 @msgpack/msgpack writes for wide JS numbers.
        var resume = await page.EvaluateAsync<string>(
            "() => Array.from(window.marketstream.protocol.encodeSubscribe(9, ['EURUSD'], 0, 0, 0, [['EURUSD', 1767225600000n, 5n]]), b => b.toString(16).padStart(2, '0')).join('')");
        Assert.Equal("970209" + "91a6" + "455552555344" + "000000" + "9193a6" + "455552555344" + "cf0000019b76daa800" + "05", resume);
    }

    /// <summary>An example of the channel model (docs/protocol.md §2.5): a channel message, or a request or ack with its channel elements.</summary>
    private static bool IsChannelExample(JsonArray doc)
    {
        var type = doc[0]!.GetValue<int>();
        return type switch
        {
            >= 30 => true,
            2 => doc.Count > 7,
            4 => doc.Count > 3,
            18 => doc.Count > 4,
            24 => doc[1]!.AsArray().Any(m => IsChannelExample(m!.AsArray())),
            _ => false,
        };
    }

    [Fact]
    public async Task Decode_MalformedFrames_AreRefused()
    {
        await using var server = await WebServer.StartAsync();
        await using var browser = await chromium.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync(new Uri(server.BaseAddress, "?symbols=EURUSD").ToString());
        await page.WaitForFunctionAsync("() => window.marketstream !== undefined");

        // Truncated, trailing bytes, not an array, a map, a batch in a batch, an Update that is too short.
        foreach (var hex in new[] { "93 1c 05", "93 13 04 02 00", "a3 61 62 63", "81 01 02", "92 18 91 92 18 90", "93 15 07 01" })
        {
            var outcome = await page.EvaluateAsync<string>(
                "hex => { try { window.marketstream.protocol.decodeFrame(new Uint8Array(hex.split(' ').map(h => parseInt(h, 16)))); return 'accepted'; } catch (e) { return e.name; } }",
                hex);
            Assert.True(outcome == "ProtocolViolation", $"{hex}: {outcome}");
        }
    }

    private const string EncodeScript =
        """
        json => {
          const p = window.marketstream.protocol;
          const m = JSON.parse(json);
          let bytes;
          switch (m[0]) {
            case 1: bytes = p.encodeAuthenticate(m[1], m[2]); break;
            case 2: bytes = p.encodeSubscribe(m[1], m[2], m[3], m[4], m[5], m[6].map(([n, e, s]) => [n, BigInt(e), BigInt(s)])); break;
            case 3: bytes = p.encodeUnsubscribe(m[1], m[2]); break;
            case 4: bytes = p.encodeSnapshotRequest(m[1], m[2]); break;
            case 5: bytes = p.encodePing(m[1], BigInt(m[2])); break;
            default: return 'no encoder for ' + m[0];
          }
          return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
        }
        """;

    /// <summary>Numbers become their exact decimal text (JSON numbers here can exceed 2^53).</summary>
    private static JsonNode? Normalize(JsonNode? node) => node switch
    {
        null => null,
        JsonArray a => new JsonArray([.. a.Select(Normalize)]),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => JsonValue.Create(v.ToJsonString()),
        JsonValue v => JsonValue.Create(v.GetValue<string>()),
        _ => throw new InvalidOperationException($"unexpected JSON {node}"),
    };

    private static string Hex(string spaced) => Regex.Replace(spaced, @"\s+", "");

    private static List<(string Name, string Json, string Hex)> ReadExamples()
    {
        var text = File.ReadAllText(Path.Combine(WebServer.DocsDirectory, "protocol.md"));
        return [.. ExampleRegex().Matches(text).Select(m => (m.Groups[1].Value, m.Groups[2].Value.Trim(), m.Groups[3].Value.Trim()))];
    }

    [GeneratedRegex(@"<!-- example: ([\w-]+) -->\s*```text\n(.*?)\n```\s*```hex\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ExampleRegex();
}
