using System.Text;
using System.Text.RegularExpressions;
using MarketStream.Testing;
using MessagePack;

namespace MarketStream.Protocol.Tests;

/// <summary>
/// docs/protocol.md and the code cannot drift: every example block in the doc is the bytes the code
/// produces, each decodes and re-encodes byte for byte, and every message type has an example.
/// Run with MARKETSTREAM_UPDATE_DOCS=1 to regenerate the blocks after a deliberate change.
/// </summary>
public partial class ProtocolDocTests
{
    [GeneratedRegex(@"<!-- example: (?<name>[a-z0-9-]+) -->\n```text\n(?<text>.*?)\n```\n```hex\n(?<hex>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();

    internal static string DocPath() => RepositoryRoot.Combine("docs", "protocol.md");

    /// <summary>The readable form shown above each hex block.</summary>
    private static string Readable(byte[] bytes) => MessagePackSerializer.ConvertToJson(bytes);

    /// <summary>Hex in rows of 16 bytes.</summary>
    internal static string HexRows(byte[] bytes)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < bytes.Length; i++)
        {
            sb.Append(i == 0 ? "" : i % 16 == 0 ? "\n" : " ").Append(bytes[i].ToString("x2", null));
        }

        return sb.ToString();
    }

    private static Dictionary<string, (string Text, byte[] Bytes)> ParseDoc(string doc)
    {
        var result = new Dictionary<string, (string, byte[])>();
        foreach (Match m in ExampleBlock().Matches(doc))
        {
            var hex = Regex.Replace(m.Groups["hex"].Value, @"\s+", "");
            result.Add(m.Groups["name"].Value, (m.Groups["text"].Value, Convert.FromHexString(hex)));
        }

        return result;
    }

    [Fact]
    public void Doc_Examples_MatchCodeOutput()
    {
        var path = DocPath();
        var doc = File.ReadAllText(path);
        if (Environment.GetEnvironmentVariable("MARKETSTREAM_UPDATE_DOCS") == "1")
        {
            foreach (var (name, bytes) in ProtocolExamples.All)
            {
                doc = Regex.Replace(
                    doc,
                    @"<!-- example: " + name + @" -->\n```text\n.*?\n```\n```hex\n.*?\n```",
                    _ => $"<!-- example: {name} -->\n```text\n{Readable(bytes)}\n```\n```hex\n{HexRows(bytes)}\n```",
                    RegexOptions.Singleline);
            }

            File.WriteAllText(path, doc);
        }

        var examples = ParseDoc(doc);
        Assert.Equal(ProtocolExamples.All.Select(e => e.Name).Order(), examples.Keys.Order());
        foreach (var (name, bytes) in ProtocolExamples.All)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(examples[name].Bytes), $"example '{name}': doc shows {Wire.Hex(examples[name].Bytes)}, code writes {Wire.Hex(bytes)}");
            Assert.Equal(Readable(bytes), examples[name].Text);
        }
    }

    [Fact]
    public void Doc_Examples_DecodeAndReencodeByteForByte()
    {
        var examples = ParseDoc(File.ReadAllText(DocPath()));
        Assert.NotEmpty(examples);
        var seen = new HashSet<MessageType>();
        foreach (var (name, (_, bytes)) in examples)
        {
            var header = new MessagePackReader(bytes);
            header.ReadArrayHeader(); // fixarray, or array16 for Statistics' 16 elements
            var type = (MessageType)header.ReadByte();
            seen.Add(type);
            if (type < MessageType.Welcome)
            {
                Assert.True(ClientMessageReader.TryRead(bytes.AsMemory(), out var request, out var error), $"{name}: {error}");
                Assert.Equal(bytes, Wire.Encode(request!));
            }
            else
            {
                var messages = Wire.DecodeServer(bytes, out var isBatch);
                foreach (var m in messages)
                {
                    seen.Add(m.Type);
                }

                Assert.True(bytes.AsSpan().SequenceEqual(Wire.Reencode(messages, isBatch)), name);
            }
        }

        foreach (var type in Enum.GetValues<MessageType>().Where(t => t != MessageType.None))
        {
            Assert.Contains(type, seen);
        }
    }

    [Fact]
    public void Doc_ErrorAndCloseCodeTables_ListEveryCode()
    {
        var doc = File.ReadAllText(DocPath());
        foreach (var code in Enum.GetValues<ErrorCode>().Where(c => c != ErrorCode.None))
        {
            Assert.Contains($"| {(int)code} | `{code}` |", doc, StringComparison.Ordinal);
        }

        foreach (var code in Enum.GetValues<CloseCode>())
        {
            Assert.Contains($"| {(int)code} | `{code}` |", doc, StringComparison.Ordinal);
        }

        foreach (var type in Enum.GetValues<MessageType>().Where(t => t != MessageType.None))
        {
            Assert.Contains($"| {(int)type} | `{type}` |", doc, StringComparison.Ordinal);
        }
    }
}
