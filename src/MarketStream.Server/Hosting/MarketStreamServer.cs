using System.Reflection;
using MarketStream.Cluster;
using MarketStream.Feeds.Configuration;
using MarketStream.Server.Auth;
using MarketStream.Server.Gateway;
using MarketStream.Server.Ingest;
using MarketStream.Server.Operations;
using MarketStream.Server.Sse;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MarketStream.Server.Hosting;

/// <summary>
/// Builds the MarketStream web application: used by <c>Program.cs</c> and by the integration
/// tests, which start the same host on 127.0.0.1 with port 0 and their own settings.
/// </summary>
public static class MarketStreamServer
{
    /// <summary>The OpenTelemetry service name (<c>service_name</c> on /metrics).</summary>
    public const string ServiceName = "marketstream";

    /// <summary>The server's informational version (<c>service_version</c> on /metrics).</summary>
    public static string ServiceVersion { get; } =
        typeof(MarketStreamServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Creates the host with every MarketStream service and endpoint.</summary>
    /// <param name="args">Command-line arguments (ASP.NET conventions: <c>--MarketStream:Gateway:MaxConnections=10</c>).</param>
    /// <param name="configure">Last say over the builder before services are added (tests set URLs and settings here).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        AddLowestPrecedenceDefaults(builder.Configuration);
        ConfigureKestrelLimits(builder);
        configure?.Invoke(builder);
        AddMarketStream(builder.Services, builder.Configuration);
        var app = builder.Build();
        MapMarketStream(app);
        return app;
    }

    /// <summary>
    /// Defaults that any other configuration source overrides (appsettings, environment, command line).
    /// <c>Microsoft.AspNetCore.Hosting.Diagnostics</c> off: while that logger is enabled, hosting starts an
    /// <c>Activity</c> and a log scope for every request and keeps them for the request's lifetime — for
    /// a WebSocket, the connection's (~0.5 KB each, docs/operations.md, memory per connection). It only
    /// writes the "Request starting/finished" lines (Information); set it to Information to have them.
    /// With a tracing listener (OpenTelemetry tracing) the Activity is still created, as it must be.
    /// </summary>
    private static void AddLowestPrecedenceDefaults(ConfigurationManager configuration)
    {
        var defaults = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None" },
        };
        configuration.Sources.Insert(0, defaults);
    }

    /// <summary>
    /// Connection-level limits Kestrel enforces before a request reaches the gateway (docs/operations.md,
    /// Limits). Slowloris: a client that sends its handshake slowly or never finishes it holds a socket until
    /// <c>RequestHeadersTimeout</c>; one that connects and sends nothing at all is under <c>KeepAliveTimeout</c>
    /// until its first byte. 10 s each here instead of Kestrel's 30 s / 130 s (upgraded WebSockets are not
    /// affected: Kestrel stops its HTTP timeouts on upgrade). Overridable as <c>Kestrel:Limits:…</c>
    /// (any <c>KestrelServerLimits</c> property binds).
    /// </summary>
    private static void ConfigureKestrelLimits(WebApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection("Kestrel:Limits");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(10);
            // What Kestrel buffers for a client that does not read before a send waits (64 KiB by default):
            // for a stalled WebSocket client that buffer is most of what the server holds for it. Less
            // buffered means the outbox starts merging sooner, which is what a stalled client needs.
            kestrel.Limits.MaxResponseBufferSize = 16 * 1024;
            limits.Bind(kestrel.Limits);
            // Every listener: a connection that opens with the /ws handshake is upgraded on the transport
            // (GatewayOptions.DirectUpgrade); every other connection goes on to HTTP untouched.
            kestrel.ConfigureEndpointDefaults(listen =>
            {
                // First: the socket's send-side limits hold from the connection's first byte (GatewayOptions).
                SocketTuning.Use(listen);
                DirectUpgrade.Use(listen);
            });
        });
    }

    internal static void AddMarketStream(IServiceCollection services, IConfiguration configuration)
    {
        AddValidatedOptions<AuthOptions, AuthOptionsValidator>(services, configuration, AuthOptions.SectionName);
        AddValidatedOptions<GatewayOptions, GatewayOptionsValidator>(services, configuration, GatewayOptions.SectionName);
        AddValidatedOptions<EngineHostOptions, EngineHostOptionsValidator>(services, configuration, EngineHostOptions.SectionName);
        AddValidatedOptions<FeedsOptions, FeedsOptionsValidator>(services, configuration, FeedsOptions.SectionName);
        AddValidatedOptions<ClusterOptions, ClusterOptionsValidator>(services, configuration, ClusterOptions.SectionName);
        AddValidatedOptions<MarketStream.Journal.JournalOptions, JournalOptionsValidator>(services, configuration, MarketStream.Journal.JournalOptions.SectionName);

        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<EngineHost>();
        services.AddHostedService(sp => sp.GetRequiredService<EngineHost>());
        services.AddSingleton<TokenService>();
        services.AddSingleton(sp => new OriginPolicy(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.AllowedOrigins));
        services.AddSingleton<HandshakeGate>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
            return new ConnectionLimiter(o.MaxConnections, o.MaxConnectionsPerAddress);
        });
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<GatewayContext>();
        // After EngineHost: hosted services stop in reverse order, so sessions drain while the engine still runs.
        services.AddSingleton<SessionRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionRegistry>());
        services.AddSingleton<EngineMetrics>();
        AddValidatedOptions<SseOptions, SseOptionsValidator>(services, configuration, SseOptions.SectionName);
        services.AddSingleton<SseMetrics>();
        services.AddSingleton<IngestMetrics>();
        // /metrics's target_info names the service (Prometheus labels service_name and service_version).
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: ServiceVersion))
            .WithMetrics(metrics => metrics
            .AddMeter(GatewayMetrics.MeterName)
            .AddPrometheusExporter());
    }

    internal static void MapMarketStream(WebApplication app)
    {
        // Observable engine/feed instruments register on first resolution.
        app.Services.GetRequiredService<EngineMetrics>();
        // Before UseWebSockets: it captures the upgrade feature that this wraps (keep-alive, close 4006).
        ReceiveActivityFeatures.Use(app, MarketStream.Protocol.WireProtocol.Endpoint, app.Services.GetRequiredService<TimeProvider>());
        app.UseWebSockets();
        OperationsEndpoints.Map(app);
        SseEndpoint.Map(app);
        IngestEndpoint.Map(app);
        GatewayEndpoints.Map(app);
        app.UseFileServer(); // the web front-end at / (wwwroot, built from src/MarketStream.Web; docs/frontend.md)
    }

    private static void AddValidatedOptions<TOptions, TValidator>(IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }
}
