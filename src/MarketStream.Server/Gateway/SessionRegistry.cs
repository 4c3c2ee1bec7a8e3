using System.Collections.Concurrent;
using MarketStream.Model;
using MarketStream.Protocol;
using MarketStream.Server.Hosting;
using Microsoft.Extensions.Options;

namespace MarketStream.Server.Gateway;

/// <summary>
/// Live sessions, for the admin view and graceful shutdown (docs/operations.md): when the application starts
/// stopping every session is asked to close with 1001 (docs/protocol.md §6), and <see cref="StopAsync"/>
/// (a hosted service registered after the engine, hence stopped before it) waits up to
/// <see cref="GatewayOptions.ShutdownDrainTimeout"/> for them to finish, while the engine still runs.
/// It also passes symbols added at run time to every live session: one handler on the symbol registry
/// for all sessions, rather than one delegate per session whose invocation list is copied on every
/// connect (docs/operations.md, memory per connection).
/// </summary>
internal sealed partial class SessionRegistry(IHostApplicationLifetime lifetime, IOptions<GatewayOptions> options, ILogger<SessionRegistry> logger, EngineHost host) : IHostedService
{
    private readonly ConcurrentDictionary<string, GatewaySession> _sessions = new(StringComparer.Ordinal);
    private CancellationTokenRegistration _stopping;
    private volatile bool _closing;
    private Task _drained = Task.CompletedTask;

    public int Count => _sessions.Count;

    /// <summary>True once shutdown began: new sessions are closed with 1001 right after Welcome.</summary>
    public bool IsClosing => _closing;

    public ICollection<GatewaySession> Sessions => _sessions.Values;

    public void Add(GatewaySession session)
    {
        _sessions[session.Id] = session;
        if (_closing)
        {
            session.RequestClose(CloseCode.GoingAway, "server shutting down");
        }
    }

    public void Remove(GatewaySession session) => _sessions.TryRemove(session.Id, out _);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = lifetime.ApplicationStopping.Register(static state => ((SessionRegistry)state!).CloseAll(), this);
        host.Registry.SymbolAdded += OnSymbolAdded;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        CloseAll();
        await _drained.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _stopping.DisposeAsync().ConfigureAwait(false);
        host.Registry.SymbolAdded -= OnSymbolAdded;
    }

    private void OnSymbolAdded(MarketStream.Model.SymbolInfo symbol)
    {
        // Lock-free enumeration of the live sessions (no snapshot copy); each session locks itself.
        foreach (var (_, session) in _sessions)
        {
            session.OnSymbolAdded(symbol);
        }
    }

    /// <summary>
    /// Starts at ApplicationStopping, not at this service's StopAsync: Kestrel stops first and waits for
    /// open requests (a WebSocket is one) up to the host's shutdown timeout, so the drain deadline must
    /// already be running then, or a session stuck on a full socket would hold the whole stop.
    /// </summary>
    private void CloseAll()
    {
        lock (_sessions)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
        }

        Log.Closing(logger, _sessions.Count);
        foreach (var session in _sessions.Values)
        {
            session.RequestClose(CloseCode.GoingAway, "server shutting down");
        }

        _drained = DrainAsync();
    }

    private async Task DrainAsync()
    {
        var timeout = options.Value.ShutdownDrainTimeout;
        var started = Environment.TickCount64;
        while (!_sessions.IsEmpty && Environment.TickCount64 - started < timeout.TotalMilliseconds)
        {
            await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
        }

        if (!_sessions.IsEmpty)
        {
            Log.DrainTimedOut(logger, _sessions.Count, timeout);
            foreach (var session in _sessions.Values)
            {
                session.Abort();
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Shutting down: closing {Sessions} sessions with 1001")]
        public static partial void Closing(ILogger logger, int sessions);

        [LoggerMessage(2, LogLevel.Warning, "Shutdown drain timed out after {Timeout} with {Sessions} sessions left; aborting them")]
        public static partial void DrainTimedOut(ILogger logger, int sessions, TimeSpan timeout);
    }
}
