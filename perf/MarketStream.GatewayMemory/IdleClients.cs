using System.Net.WebSockets;

namespace MarketStream.GatewayMemory;

/// <summary>
/// The child process: opens idle connections (subprotocol only, no subscription), keeps one receive
/// pending on each (so heartbeats are read and pings answered, as a browser would) and grows the count
/// when told on stdin. Prints "connected N" after each step; exits when stdin closes.
/// </summary>
internal static class IdleClients
{
    public static async Task<int> RunAsync(string[] args)
    {
        var uri = new Uri(args[0]);
        var sockets = new List<ClientWebSocket>();
        var receivers = new List<Task>();
        while (Console.ReadLine() is { } line && int.TryParse(line, out var target))
        {
            var failed = 0;
            using var gate = new SemaphoreSlim(64);
            var opening = new List<Task<ClientWebSocket?>>();
            for (var i = sockets.Count; i < target; i++)
            {
                opening.Add(OpenAsync(uri, gate));
            }

            foreach (var socket in await Task.WhenAll(opening))
            {
                if (socket is null)
                {
                    failed++;
                    continue;
                }

                sockets.Add(socket);
                receivers.Add(DrainAsync(socket));
            }

            Console.WriteLine($"connected {sockets.Count} failed {failed}");
        }

        foreach (var socket in sockets)
        {
            socket.Abort();
        }

        await Task.WhenAll(receivers);
        return 0;
    }

    private static async Task<ClientWebSocket?> OpenAsync(Uri uri, SemaphoreSlim gate)
    {
        await gate.WaitAsync();
        try
        {
            var socket = new ClientWebSocket();
            socket.Options.AddSubProtocol("marketstream.v1");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await socket.ConnectAsync(uri, timeout.Token);
            // Welcome: the session is registered once it is sent.
            var buffer = new byte[1024];
            await socket.ReceiveAsync(buffer, timeout.Token);
            return socket;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException)
        {
            return null;
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task DrainAsync(ClientWebSocket socket)
    {
        var buffer = new byte[256];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Aborted at the end.
        }
    }
}
