using System.Net.WebSockets;
using MarketStream.Feeds.Hosting;
using MarketStream.LoadTest.Measurement;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace MarketStream.LoadTest.Clients;

/// <summary>
/// A <see cref="HubConnection"/> to perf/MarketStream.SignalRBaseline: WebSockets only (no negotiate
/// round trip), the MessagePack hub protocol, the same source-address round robin as the MarketStream
/// client. Each <c>"u"</c> message is one tick: <c>[symbolId, seq, kind, a, b, c, d, exchangeTimeNs,
/// receiveTimeNs, serverTimeNs]</c>; latency is (time handled) − <c>receiveTimeNs</c>, as for MarketStream.
/// The SignalR client runs handlers one at a time per connection, so a handler that waits holds back the
/// connection's reads: that is how a stalled or slow SignalR client is played.
/// </summary>
internal sealed class SignalRLoadClient(ClientContext context) : ILoadClient
{
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HubConnection? _connection;
    private volatile bool _disposing;

    public long[] LastSeq { get; } = new long[context.Symbols.Count];

    public Task Completion => _closed.Task;

    public string? CloseReason { get; private set; }

    public async Task ConnectAsync(CancellationToken ct)
    {
        var invoker = context.Connector.Next();
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(context.BaseUri, "hub"), HttpTransportType.WebSockets, o =>
            {
                o.SkipNegotiation = true;
                o.WebSocketFactory = async (c, token) =>
                {
                    var socket = new ClientWebSocket();
                    await socket.ConnectAsync(c.Uri, invoker, token).ConfigureAwait(false);
                    return socket;
                };
            })
            .AddMessagePackProtocol()
            .Build();
        connection.ServerTimeout = context.Timeout;
        connection.On<long[]>("u", OnTickAsync);
        connection.Closed += ex =>
        {
            if (!_disposing)
            {
                CloseReason = ex is null ? "closed by the server" : $"{ex.GetType().Name}: {ex.Message}";
            }

            _closed.TrySetResult();
            return Task.CompletedTask;
        };
        _connection = connection;
        await connection.StartAsync(ct).ConfigureAwait(false);
    }

    public async Task SubscribeAsync(IReadOnlyList<string> symbols, CancellationToken ct)
    {
        var joined = await _connection!.InvokeAsync<int>("Subscribe", symbols.ToArray(), ct).ConfigureAwait(false);
        if (joined != symbols.Count)
        {
            throw new InvalidOperationException($"the baseline knew {joined} of {symbols.Count} symbols");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        if (_connection is not null)
        {
            context.Stall?.End();
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _closed.TrySetResult();
    }

    private Task OnTickAsync(long[] tick)
    {
        var now = TickPublisher.NowNs();
        var counters = context.Counters;
        counters.Updates++;
        var symbol = (int)tick[0];
        if ((uint)symbol < (uint)LastSeq.Length)
        {
            LastSeq[symbol] = tick[1];
        }

        var latency = now - tick[8];
        if (context.Latency is { } recorder)
        {
            if (latency < 0)
            {
                counters.NegativeLatencies++;
            }
            else
            {
                recorder.Record(context.Index, latency);
            }
        }

        return context.Stall is { } stall ? stall.BeforeReadAsync(CancellationToken.None) : Task.CompletedTask;
    }
}
