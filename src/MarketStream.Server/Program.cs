using MarketStream.Server.Hosting;
using Microsoft.Extensions.Options;

// `dotnet run --project src/MarketStream.Server -- --open`: Kestrel on 127.0.0.1:5080
// (appsettings.json) with the synthetic feed and no broker; --open launches the web front-end.
// Settings follow ASP.NET conventions: appsettings.json, MarketStream__Gateway__MaxConnections=…
// environment variables, --MarketStream:Gateway:MaxConnections=… switches.
try
{
    var open = args.Contains("--open");
    var app = MarketStreamServer.Build([.. args.Where(a => a != "--open")]);
    if (open)
    {
        BrowserLauncher.OpenWhenStarted(app);
    }

    await app.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (Exception ex) when (InvalidSettings(ex) is { Count: > 0 } failures)
{
    // A setting refused at start-up (while mapping endpoints or starting the host): one line each,
    // naming the setting (docs/operations.md), and exit code 1 — not an unhandled-exception trace.
    foreach (var failure in failures)
    {
        await Console.Error.WriteLineAsync($"marketstream: invalid setting: {failure}").ConfigureAwait(false);
    }

    return 1;
}

static List<string> InvalidSettings(Exception ex) => ex switch
{
    OptionsValidationException invalid => [.. invalid.Failures],
    AggregateException all => [.. all.InnerExceptions.SelectMany(InvalidSettings)],
    _ => [],
};
