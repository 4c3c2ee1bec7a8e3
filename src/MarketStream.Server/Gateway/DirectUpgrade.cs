using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using MarketStream.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace MarketStream.Server.Gateway;

/// <summary>
/// Kestrel connection middleware that upgrades a connection whose first request is a WebSocket handshake
/// of <c>/ws</c> itself, on the transport, instead of through an HTTP request (docs/architecture.md,
/// "Direct upgrade"). The HTTP/1.1 path keeps its request, header collections, output producer and
/// feature objects alive for the WebSocket's whole life (~6 KB per connection) and sends every frame
/// through its output pipe; here the WebSocket writes to the transport pipe directly.
/// </summary>
/// <remarks>
/// Only the accepting path is done here. Everything else — any other request, a malformed or unusual
/// handshake, a handshake the <see cref="HandshakeGate"/> refuses, a connection over a limit, TLS or
/// HTTP/2 bytes, a head not complete within <c>RequestHeadersTimeout</c> — is handed to Kestrel's HTTP
/// pipeline untouched (nothing consumed), which answers it exactly as before with the documented status,
/// close code, log line and metric. The bytes are peeked, never consumed, until the upgrade is certain.
/// A connection that sends no byte within <c>KeepAliveTimeout</c> is closed here, as Kestrel would close
/// it: handing it on would restart Kestrel's own wait and hold the socket for both timeouts.
/// </remarks>
internal sealed class DirectUpgrade(ConnectionDelegate next, IServiceProvider services)
{
    private const string WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private Dependencies? _dependencies;

    /// <summary>Adds the middleware to a listener; it runs before Kestrel's HTTP handling (and, on a TLS listener, before TLS, where it passes every connection on).</summary>
    public static void Use(ListenOptions listen) =>
        listen.Use(next => new DirectUpgrade(next, listen.ApplicationServices).OnConnectionAsync);

    public Task OnConnectionAsync(ConnectionContext connection)
    {
        var dependencies = _dependencies ??= Dependencies.Resolve(services);
        if (!dependencies.Context.Options.DirectUpgrade)
        {
            return next(connection);
        }

        // Kestrel awaits this task for the connection's whole life. The handshake step ends once it has
        // chosen the task that runs the connection (the session's own, or the HTTP pipeline's), so while the
        // WebSocket is open only a small unwrap promise stands between Kestrel and the session: no state
        // machine of this middleware stays suspended per connection (docs/operations.md, memory per connection).
        return StartAsync(connection, dependencies).Unwrap();
    }

    /// <summary>Peeks at the head and returns the task that runs the connection from here: the upgraded session, or the HTTP pipeline.</summary>
    private async Task<Task> StartAsync(ConnectionContext connection, Dependencies dependencies)
    {
        var input = connection.Transport.Input;
        var peek = await PeekAsync(input, dependencies.IdleTimeout, dependencies.HeadTimeout).ConfigureAwait(false);
        if (peek.Silent)
        {
            // Nothing at all within KeepAliveTimeout (docs/operations.md, Limits): ending the
            // connection task closes the socket.
            return Task.CompletedTask;
        }

        var session = await TryAcceptAsync(connection, peek, dependencies).ConfigureAwait(false);
        return session is null ? next(connection) : session.RunAsync();
    }

    /// <summary>The upgraded session (its limiter slot taken, given back when it ends), or null to hand the connection to HTTP.</summary>
    private static async Task<GatewaySession?> TryAcceptAsync(ConnectionContext connection, Peek peek, Dependencies dependencies)
    {
        var input = connection.Transport.Input;
        if (peek.Request is not { } request)
        {
            return null;
        }

        var address = RemoteAddress(connection);
        var outcome = await dependencies.Gate.CheckAsync(request.Handshake).ConfigureAwait(false);
        if (!outcome.Accepted || dependencies.Limiter.TryAcquire(address) != ConnectionRefusal.None)
        {
            // Refused: the HTTP pipeline sees the same request and refuses it the documented way.
            return null;
        }

        try
        {
            // The head is still in the pipe (peeked, not consumed): take it now, and only it.
            var result = await input.ReadAsync().ConfigureAwait(false);
            input.AdvanceTo(result.Buffer.GetPosition(peek.HeadLength));
            await WriteSwitchingProtocolsAsync(connection.Transport.Output, request.Key).ConfigureAwait(false);
            var activity = new ReceiveActivity(dependencies.Time);
            var options = dependencies.Context.Options;
            var stream = new UpgradedTransportStream(connection, activity);
            var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
            {
                IsServer = true,
                SubProtocol = WireProtocol.SubProtocol,
                KeepAliveInterval = options.KeepAliveInterval,
                KeepAliveTimeout = options.WebSocketPongTimeout(receiveTracked: true),
            });
            return new GatewaySession(dependencies.Context, socket, dependencies.Registry, address, outcome.Grant, activity, stream, UpgradePath.Direct);
        }
        catch
        {
            dependencies.Limiter.Release(address);
            throw;
        }
    }

    /// <summary>The outcome of looking at the head of a connection without consuming it; <c>Silent</c>: no byte arrived in time.</summary>
    private readonly record struct Peek(UpgradeRequest? Request, long HeadLength, bool Silent = false);

    /// <summary>
    /// Reads until the parser decides, then leaves every byte in the pipe, unconsumed and readable at once
    /// by whoever reads next. Examined bytes cannot be un-examined (System.IO.Pipelines), so the final
    /// AdvanceTo marks as examined only what an earlier, incomplete read had already examined: what arrived
    /// since is new to the next reader and its read completes immediately. The wait for the first byte is
    /// bounded by <paramref name="idleTimeout"/> (Kestrel's KeepAliveTimeout), the head from then on by
    /// <paramref name="headTimeout"/> (its RequestHeadersTimeout), as Kestrel bounds them.
    /// </summary>
    private static async ValueTask<Peek> PeekAsync(PipeReader input, TimeSpan idleTimeout, TimeSpan headTimeout)
    {
        using var deadline = new CancellationTokenSource(Bounded(idleTimeout));
        var registration = deadline.Token.Register(static state => ((PipeReader)state!).CancelPendingRead(), input);
        long examined = 0;
        var silent = false;
        ReadResult result;
        UpgradeRequest? request;
        long headLength;
        while (true)
        {
            result = await input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            request = null;
            var headEnd = buffer.Start;
            var status = result.IsCanceled ? UpgradeParseStatus.NotDirect : UpgradeRequestParser.Parse(buffer, out request, out headEnd);
            if (status == UpgradeParseStatus.Incomplete && !result.IsCompleted)
            {
                if (examined == 0)
                {
                    // The first bytes: the head's own deadline starts now.
                    deadline.CancelAfter(Bounded(headTimeout));
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                examined = buffer.Length;
                continue;
            }

            headLength = request is null ? 0 : buffer.Slice(buffer.Start, headEnd).Length;
            silent = result.IsCanceled && buffer.IsEmpty;
            input.AdvanceTo(buffer.Start, buffer.GetPosition(examined));
            break;
        }

        // Waits for a deadline callback that is running. If the deadline fired after the last read had completed,
        // CancelPendingRead left a cancellation for the next read: take it here, or it would hit Kestrel or the WebSocket.
        registration.Dispose();
        if (deadline.IsCancellationRequested && !result.IsCanceled)
        {
            var stale = await input.ReadAsync().ConfigureAwait(false);
            input.AdvanceTo(stale.Buffer.Start, stale.Buffer.GetPosition(Math.Min(examined, stale.Buffer.Length)));
        }

        return new Peek(request, headLength, silent);
    }

    /// <summary>Kestrel accepts timeouts beyond what a timer can wait (TimeSpan.MaxValue: none); those mean "no deadline".</summary>
    private static TimeSpan Bounded(TimeSpan timeout) =>
        timeout >= TimeSpan.FromMilliseconds(uint.MaxValue - 1) ? Timeout.InfiniteTimeSpan : timeout;

    private static IPAddress RemoteAddress(ConnectionContext connection)
    {
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    /// <summary>RFC 6455 §4.2.2: 101 with the accept hash and the one subprotocol this server speaks.</summary>
    private static async ValueTask WriteSwitchingProtocolsAsync(PipeWriter output, string key)
    {
        // SHA-1 is what RFC 6455 specifies for the accept value (a handshake check, not a security control).
#pragma warning disable CA5350
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + WebSocketGuid)));
#pragma warning restore CA5350
        var response = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
            $"Sec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Protocol: {WireProtocol.SubProtocol}\r\n\r\n";
        await output.WriteAsync(Encoding.ASCII.GetBytes(response)).ConfigureAwait(false);
    }

    /// <summary>The gateway's singletons, resolved on the first connection (the container is built after Kestrel is configured).</summary>
    private sealed record Dependencies(GatewayContext Context, HandshakeGate Gate, ConnectionLimiter Limiter, SessionRegistry Registry, TimeProvider Time, TimeSpan IdleTimeout, TimeSpan HeadTimeout)
    {
        public static Dependencies Resolve(IServiceProvider services)
        {
            var limits = services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
            return new(
                services.GetRequiredService<GatewayContext>(),
                services.GetRequiredService<HandshakeGate>(),
                services.GetRequiredService<ConnectionLimiter>(),
                services.GetRequiredService<SessionRegistry>(),
                services.GetRequiredService<TimeProvider>(),
                limits.KeepAliveTimeout,
                limits.RequestHeadersTimeout);
        }
    }
}
