using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace MarketStream.Testing;

/// <summary>Gateway test settings: short timings so the suite stays fast, and small socket buffers for slow-reader tests.</summary>
public static class GatewayServer
{
    /// <summary>Starts a server with heartbeat 200 ms and the given overrides; <paramref name="configure"/> runs last (e.g. to add a log capture).</summary>
    public static Task<RunningServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, bool smallSendBuffers = false, Action<WebApplicationBuilder>? configure = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["MarketStream:Gateway:HeartbeatInterval"] = "00:00:00.200",
            ["MarketStream:Gateway:ShutdownDrainTimeout"] = "00:00:02",
            ["Logging:LogLevel:MarketStream"] = Environment.GetEnvironmentVariable("GATEWAY_TEST_LOG") ?? "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return RunningServer.StartAsync(all, builder =>
        {
            if (smallSendBuffers)
            {
                SmallSendBuffers(builder);
            }

            configure?.Invoke(builder);
        });
    }

    /// <summary>
    /// Kestrel with a tiny socket send buffer (accepted sockets inherit it from the listener) and output
    /// pipe, so a client that stops reading blocks the server's writer after a few KiB, not megabytes.
    /// </summary>
    public static void SmallSendBuffers(WebApplicationBuilder builder)
    {
        builder.WebHost.UseSockets(o => o.CreateBoundListenSocket = endpoint =>
        {
            var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
            socket.SendBufferSize = 4096;
            return socket;
        });
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxResponseBufferSize = 4096);
    }
}
