using MarketStream.LoadTest;

// perf/README.md, "Gateway load": dotnet run -c Release --project perf/MarketStream.LoadTest -- fanout --target both
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await LoadTestApp.RunAsync(args, Console.Out, cancel.Token).ConfigureAwait(false);
