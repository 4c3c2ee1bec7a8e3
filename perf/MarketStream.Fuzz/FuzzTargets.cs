using MarketStream.Feeds;
using MarketStream.Feeds.Replay;
using MarketStream.Feeds.Symbols;
using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Fuzz;

/// <summary>
/// One target per decoder that reads client or feed input. Each returns normally for any input —
/// accepted or refused the documented way (a <see cref="ProtocolError"/> for the protocol readers, a
/// <see cref="FeedDataException"/> for the replay readers) — and throws anything else, which a fuzzer
/// reports as a crash. Each also bounds its own work, so a decoder that loops without consuming
/// input is a crash too (<see cref="FuzzInvariantException"/>), not a silent hang.
/// </summary>
internal static class FuzzTargets
{
    /// <summary>The limits the /ingest endpoint decodes with (IngestSession: 1 MiB messages, 1024 ticks).</summary>
    private static readonly DecoderLimits IngestLimits = new()
    {
        MaxMessageBytes = 1024 * 1024,
        MaxCollectionLength = 1025,
    };

    private static readonly Lazy<SymbolUniverse> Universe = new(UniverseLoader.LoadEmbedded);

    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>
    {
        ["client"] = data => ClientMessage(data, DecoderLimits.ClientInput),
        ["ingest"] = data => ClientMessage(data, IngestLimits),
        ["server-frame"] = ServerFrame,
        ["csv"] = data => Replay(data, stream => new CsvTickReader(stream, Universe.Value, "fuzz.csv")),
        ["binary"] = data => Replay(data, stream => new BinaryTickReader(stream, Universe.Value, "fuzz.mstk")),
    };

    private static void ClientMessage(byte[] data, DecoderLimits limits)
    {
        var ok = ClientMessageReader.TryRead(data.AsMemory(), limits, out var message, out var error);
        if (ok ? message is null || error.IsError : message is not null || !error.IsError)
        {
            throw new FuzzInvariantException($"TryRead returned {ok} with message {message} and error {error}");
        }
    }

    private static void ServerFrame(byte[] data)
    {
        var reader = new ServerFrameReader(data.AsMemory());
        // Every message consumes at least one byte, so more reads than bytes means a loop.
        for (var reads = 0; reads <= data.Length + 1; reads++)
        {
            if (reader.Read(out _, out _) is ReadStatus.EndOfFrame or ReadStatus.Error)
            {
                return;
            }
        }

        throw new FuzzInvariantException("ServerFrameReader kept returning messages past the end of the frame");
    }

    private static void Replay(byte[] data, Func<Stream, ITickReader> open)
    {
        try
        {
            using var reader = open(new MemoryStream(data, writable: false));
            var tick = default(Tick);
            // A record takes at least one byte (a CSV line its newline), so more reads than bytes means a loop.
            for (var reads = 0; reads <= data.Length + 1; reads++)
            {
                if (reader.Read(ref tick, out _) == TickReadStatus.End)
                {
                    return;
                }
            }

            throw new FuzzInvariantException($"{reader.SourceName}: reader kept returning records past the end of the input");
        }
        catch (FeedDataException)
        {
            // The documented refusal of a malformed file.
        }
    }
}
