using MarketStream.Server.Hosting;

// `dotnet run --project src/MarketStream.Server -- --open`: Kestrel on 127.0.0.1:5080
// (appsettings.json) with the synthetic feed and no broker; --open launches the web front-end.
// Settings follow ASP.NET conventions: appsettings.json, MarketStream__Gateway__MaxConnections=…
// environment variables, --MarketStream:Gateway:MaxConnections=… switches.
var open = args.Contains("--open");
var app = MarketStreamServer.Build([.. args.Where(a => a != "--open")]);
if (open)
{
    BrowserLauncher.OpenWhenStarted(app);
}

await app.RunAsync().ConfigureAwait(false);
