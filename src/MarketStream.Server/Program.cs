using MarketStream.Server.Hosting;

// `dotnet run --project src/MarketStream.Server`: Kestrel on 127.0.0.1:5080 (appsettings.json)
// with the synthetic feed, no broker. Settings follow ASP.NET conventions: appsettings.json,
// MarketStream__Gateway__MaxConnections=… environment variables, --MarketStream:Gateway:… switches.
var app = MarketStreamServer.Build(args);
await app.RunAsync().ConfigureAwait(false);
