using System.Buffers;
using System.Net.WebSockets;
using MarketStream.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketStream.Client.Tests;

/// <summary>
/// A tiny Kestrel WebSocket endpoint that plays a script of server frames, for the one thing the real
/// server never does: skip sequence numbers (docs/protocol.md §2.4 gap detection). It speaks the handshake
/// (subprotocol, Welcome), answers the first Subscribe with the frames the test builds, then waits.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedServer(WebApplication app, Uri uri)
    {
        _app = app;
        WebSocketUri = uri;
    }

    public Uri WebSocketUri { get; }

    /// <summary>Starts on 127.0.0.1:0; <paramref name="script"/> gets the Subscribe request id and returns the frames to send.</summary>
    public static async Task<ScriptedServer> StartAsync(Func<long, IEnumerable<byte[]>> script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        app.Map(WireProtocol.Endpoint, async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest || !context.WebSockets.WebSocketRequestedProtocols.Contains(WireProtocol.SubProtocol))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync(WireProtocol.SubProtocol);
            await SendAsync(socket, Encode(new WelcomeMessage(1, "scripted", 1, 0, 65536, 64, 100, 262144, 0)));
            var buffer = new byte[4096];
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (!ClientMessageReader.TryRead(buffer.AsMemory(0, received.Count), out var message, out _) || message is not SubscribeRequest subscribe)
            {
                return;
            }

            foreach (var frame in script(subscribe.RequestId))
            {
                await SendAsync(socket, frame);
            }

            // Hold the session until the client closes.
            while (socket.State == WebSocketState.Open)
            {
                var r = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                }
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ScriptedServer(app, new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + WireProtocol.Endpoint));
    }

    public static byte[] Encode(ServerMessageBody message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ServerMessageWriter.Write(buffer, message);
        return buffer.WrittenSpan.ToArray();
    }

    private static Task SendAsync(WebSocket socket, byte[] frame) =>
        socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
