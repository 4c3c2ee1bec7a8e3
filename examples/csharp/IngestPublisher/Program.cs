// Pushes a few quotes and trades into a MarketStream server through the ingest endpoint and prints
// what the server answers: one IngestAck per message with the accepted count and, for each refused
// tick, its index in the message and a reject code (docs/protocol.md §4.20, §5.1).
//
//   dotnet run --project examples/csharp/IngestPublisher -- --token <publisher JWT> [--url ws://127.0.0.1:5080/ingest]
//
// The server must run with MarketStream:Feeds:Ingest:Enabled=true; the token must carry the
// publisher (or admin) role. See docs/feeds.md ("Ingest endpoint") for how to mint one.
using System.Buffers;
using System.Net.WebSockets;
using MarketStream.Model;
using MarketStream.Protocol;

var url = new Uri(Option(args, "--url") ?? "ws://127.0.0.1:5080/ingest");
var token = Option(args, "--token") ?? Environment.GetEnvironmentVariable("MARKETSTREAM_TOKEN");
if (string.IsNullOrEmpty(token))
{
    Console.Error.WriteLine("usage: IngestPublisher --token <publisher JWT> [--url ws://host:port/ingest]   (or set MARKETSTREAM_TOKEN)");
    return 2;
}

using var socket = new ClientWebSocket();
socket.Options.AddSubProtocol(WireProtocol.SubProtocol);
using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
await socket.ConnectAsync(url, cancel.Token).ConfigureAwait(false);
var buffer = new byte[1 << 16];

// Welcome first (docs/protocol.md §1.4); then authenticate with a message rather than in the URL,
// so the token stays out of proxy logs.
Print(await ReceiveAsync(socket, buffer, cancel.Token).ConfigureAwait(false));
await SendAsync(socket, new AuthenticateRequest(1, token), cancel.Token).ConfigureAwait(false);
var answer = await ReceiveAsync(socket, buffer, cancel.Token).ConfigureAwait(false);
Print(answer);
if (answer is not AuthenticatedMessage)
{
    return 1;
}

// Mantissas use each symbol's scales (GET /api/symbols): EURUSD price scale 5, AAPL price scale 2.
var now = UnixNanos.Now();
var ticks = new IngestTick[]
{
    new("EURUSD", new Tick { Kind = TickKind.Quote, ExchangeTimeNs = now, BidPrice = 108_431, BidSize = 1_000_000, AskPrice = 108_433, AskSize = 2_000_000 }),
    new("AAPL", new Tick { Kind = TickKind.Quote, ExchangeTimeNs = now, BidPrice = 18_950, BidSize = 300, AskPrice = 18_952, AskSize = 200 }),
    new("AAPL", new Tick { Kind = TickKind.Trade, ExchangeTimeNs = now + 1_000, Price = 18_952, Size = 100, Side = TradeSide.Buy }),
    new("EURUSD", new Tick { Kind = TickKind.Quote, ExchangeTimeNs = now + 2_000, BidPrice = 108_432, BidSize = 500_000, AskPrice = 108_434, AskSize = 700_000 }),
    new("EURUSD", new Tick { Kind = TickKind.Trade, ExchangeTimeNs = now + 3_000, Price = 108_433, Size = 250_000, Side = TradeSide.Sell }),
    // Deliberately crossed (bid above ask) to show how a refusal comes back: index 5, code 5.
    new("EURUSD", new Tick { Kind = TickKind.Quote, ExchangeTimeNs = now + 4_000, BidPrice = 108_440, BidSize = 1, AskPrice = 108_430, AskSize = 1 }),
};
await SendAsync(socket, new IngestTicksRequest(2, ticks), cancel.Token).ConfigureAwait(false);

// One answer per message. An Error instead means the whole message was refused (malformed, not
// permitted); an IngestAck says which ticks were refused and why — resend or fix only those.
var reply = await ReceiveAsync(socket, buffer, cancel.Token).ConfigureAwait(false);
switch (reply)
{
    case IngestAckMessage ack:
        Console.WriteLine($"accepted {ack.Accepted} of {ticks.Length}");
        foreach (var reject in ack.Rejected)
        {
            // Unknown codes (a newer server) print as numbers (docs/protocol.md §5.1).
            Console.WriteLine($"  tick {reject.Index} ({ticks[reject.Index].Symbol}) refused: {reject.Code} ({(int)reject.Code})");
        }

        break;
    default:
        Print(reply);
        break;
}

await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancel.Token).ConfigureAwait(false);
return 0;

static string? Option(string[] args, string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static async Task SendAsync(ClientWebSocket socket, ClientMessage message, CancellationToken cancel)
{
    var output = new ArrayBufferWriter<byte>();
    ClientMessageWriter.Write(output, message);
    await socket.SendAsync(output.WrittenMemory, WebSocketMessageType.Binary, true, cancel).ConfigureAwait(false);
}

static async Task<ServerMessageBody?> ReceiveAsync(ClientWebSocket socket, byte[] buffer, CancellationToken cancel)
{
    var length = 0;
    while (true)
    {
        var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancel).ConfigureAwait(false);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            Console.WriteLine($"closed by server: {(int?)socket.CloseStatus} {socket.CloseStatusDescription}");
            return null;
        }

        length += result.Count;
        if (result.EndOfMessage)
        {
            break;
        }
    }

    var reader = new ServerFrameReader(buffer.AsMemory(0, length));
    return reader.Read(out var message, out var error) == ReadStatus.Message ? message.Body : throw new InvalidDataException(error.Message);
}

static void Print(ServerMessageBody? message)
{
    if (message is not null)
    {
        Console.WriteLine(message);
    }
}
