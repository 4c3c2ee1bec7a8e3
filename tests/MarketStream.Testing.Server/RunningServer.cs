using MarketStream.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MarketStream.Testing;

/// <summary>
/// A real MarketStream host on Kestrel, bound to 127.0.0.1 with an OS-assigned port, started with
/// the settings a test gives (the same <see cref="MarketStreamServer.Build"/> as Program.cs).
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri BaseAddress { get; }

    /// <summary>ws://127.0.0.1:port/ws</summary>
    public Uri WebSocketUri => new($"ws://{BaseAddress.Authority}/ws");

    public IServiceProvider Services => App.Services;

    /// <summary>
    /// Starts a server. <paramref name="settings"/> are configuration keys such as
    /// <c>MarketStream:Feeds:Synthetic:Rate</c>; the synthetic feed runs at 2,000 ticks/s over a
    /// fixed seed unless a test says otherwise.
    /// </summary>
    public static async Task<RunningServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var defaults = new Dictionary<string, string?>
        {
            ["MarketStream:Feeds:Synthetic:Rate"] = "2000",
            ["MarketStream:Feeds:Synthetic:Seed"] = "42",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (settings is not null)
        {
            foreach (var (key, value) in settings)
            {
                defaults[key] = value;
            }
        }

        var app = MarketStreamServer.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(defaults);
            configure?.Invoke(builder);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new RunningServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
