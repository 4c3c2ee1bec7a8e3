using MarketStream.Server.Hosting;
using MarketStream.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;

namespace MarketStream.BrowserTests.Infrastructure;

/// <summary>
/// The real MarketStream host (<see cref="MarketStreamServer.Build"/>, as Program.cs) on Kestrel at
/// 127.0.0.1, serving the front-end built into src/MarketStream.Server/wwwroot. It can be stopped and
/// started again on the same port, which is what a browser sees of a server restart.
/// </summary>
public sealed class WebServer : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private WebApplication? _app;

    private WebServer(Dictionary<string, string?> settings, Action<IServiceCollection>? services)
    {
        _settings = settings;
        _services = services;
    }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The server is stopped.");

    /// <summary>The server project's web root, found from the repository root above the test binaries.</summary>
    public static string WebRoot { get; } = FindWebRoot();

    /// <summary>
    /// Starts a server on an OS-assigned port. The synthetic feed runs at 2,000 ticks/s (about 19 per
    /// symbol per second) unless <paramref name="settings"/> say otherwise.
    /// </summary>
    public static async Task<WebServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var merged = new Dictionary<string, string?>
        {
            ["MarketStream:Feeds:Synthetic:Rate"] = "2000",
            ["MarketStream:Feeds:Synthetic:Seed"] = "42",
            ["MarketStream:Gateway:ShutdownDrainTimeout"] = "00:00:01",
            ["MarketStream:Gateway:HeartbeatInterval"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        var server = new WebServer(merged, services);
        await server.StartOnAsync(0);
        return server;
    }

    /// <summary>Stops the host: open WebSockets are closed, the port is released.</summary>
    public async Task StopAsync()
    {
        if (_app is null)
        {
            return;
        }

        var app = _app;
        _app = null;
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }

    /// <summary>Starts a new host (new process state: new epoch, empty history) on the same port.</summary>
    public Task RestartAsync() => StartOnAsync(BaseAddress.Port);

    private async Task StartOnAsync(int port)
    {
        var app = MarketStreamServer.Build([], builder =>
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            builder.Configuration.AddInMemoryCollection(_settings);
            builder.Environment.WebRootPath = WebRoot;
            builder.Environment.WebRootFileProvider = new PhysicalFileProvider(WebRoot);
            _services?.Invoke(builder.Services);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        _app = app;
    }

    private static string FindWebRoot()
    {
        var root = RepositoryRoot.Combine("src", "MarketStream.Server", "wwwroot");
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            throw new InvalidOperationException($"{root}/index.html is missing: build src/MarketStream.Server (it runs npm ci + npm run build).");
        }

        return root;
    }

    /// <summary>The repository's docs/ folder.</summary>
    public static string DocsDirectory => RepositoryRoot.Combine("docs");

    public async ValueTask DisposeAsync() => await StopAsync();
}
