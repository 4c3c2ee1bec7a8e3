// Host entry point. The WebSocket gateway, feeds and operations surface are wired in by
// issue #5; until then the host serves its health endpoint so the run command works.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/healthz", () => Results.Text("ok"));
app.MapGet("/", () => Results.Text("MarketStream is starting up: the gateway and web front-end land with issues #5 and #8.\n"));
await app.RunAsync().ConfigureAwait(false);
