using MarketStream.SignalRBaseline;

// The SignalR baseline (perf/notes/methodology.md, "The SignalR baseline"): what a .NET team would build
// instead of MarketStream's gateway — a hub with one group per symbol, the MessagePack hub protocol,
// and the same synthetic feed pushing every tick to its symbol's group. Started by
// perf/MarketStream.LoadTest (`--target signalr|both`) as its own process:
//   dotnet MarketStream.SignalRBaseline.dll --urls http://127.0.0.1:5090 --Baseline:Rate=5000 --Baseline:Seed=42
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddOptions<BaselineOptions>()
    .Bind(builder.Configuration.GetSection(BaselineOptions.SectionName))
    .Validate(static o => o.StartDelaySeconds is >= 0 and <= 3_600, "Baseline:StartDelaySeconds must be between 0 and 3600.")
    .ValidateOnStart();
var clientTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue(BaselineOptions.SectionName + ":ClientTimeoutSeconds", 30.0));
builder.Services.AddSignalR(o => o.ClientTimeoutInterval = clientTimeout).AddMessagePackProtocol();
builder.Services.AddSingleton<SymbolGroups>();
builder.Services.AddHostedService<SyntheticBroadcaster>();

var app = builder.Build();
app.MapGet("/healthz", static () => Results.Text("ok"));
app.MapHub<TickHub>("/hub");
await app.RunAsync().ConfigureAwait(false);
