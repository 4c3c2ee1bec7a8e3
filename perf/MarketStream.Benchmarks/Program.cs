using BenchmarkDotNet.Running;

// `dotnet run -c Release --project perf/MarketStream.Benchmarks -- --filter '*'` runs everything;
// see perf/README.md for the command behind each published figure.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
