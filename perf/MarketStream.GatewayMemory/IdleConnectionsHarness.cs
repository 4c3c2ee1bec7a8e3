using System.Diagnostics;
using System.Globalization;
using MarketStream.Server.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MarketStream.GatewayMemory;

/// <summary>
/// Memory per idle connection (target: 100k idle connections at ≤ 10 KB each). Hosts the real
/// gateway (<see cref="MarketStreamServer.Build"/>, embedded synthetic feed running) on 127.0.0.1,
/// has a child process open idle WebSocket sessions in steps, and after each step forces a full
/// collection and reads the GC heap and the process working set. Per connection = growth over the
/// step before, divided by the connections added; the first step also pays one-off costs (pools,
/// JIT), so the later steps are the figure.
/// </summary>
internal static class IdleConnectionsHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var steps = new[] { 1000, 5000 };
        var settle = TimeSpan.FromSeconds(5);
        var byType = 0;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--by-type":
                    // Top N types of the last step's growth over the baseline (0 = off).
                    byType = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--connections":
                    steps = [.. args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
                    break;
                case "--settle":
                    settle = TimeSpan.FromSeconds(double.Parse(args[i + 1], CultureInfo.InvariantCulture));
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}");
                    return 2;
            }
        }

        var most = steps.Max().ToString(CultureInfo.InvariantCulture);
        var app = MarketStreamServer.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Warning",
                ["MarketStream:Gateway:MaxConnectionsPerAddress"] = most,
            });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var url = "ws" + address[4..].TrimEnd('/') + "/ws";

        using var child = StartClients(url);
        await Task.Delay(settle);
        var (baseHeap, baseSet) = Measure();
        var pid = Environment.ProcessId;
        var baseTypes = byType > 0 ? await HeapByType.ReadAsync(pid) : null;
        Console.WriteLine($"gateway idle-connection memory: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");
        Console.WriteLine($"baseline (server up, feed running, no connection): GC heap {baseHeap / 1024.0 / 1024:F1} MiB, working set {baseSet / 1024.0 / 1024:F1} MiB; {GcInfo()}");
        Console.WriteLine("| connections | GC heap MiB | working set MiB | heap/conn (step) | working set/conn (step) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        var (prevCount, prevHeap, prevSet) = (0, baseHeap, baseSet);
        foreach (var step in steps)
        {
            await child.StandardInput.WriteLineAsync(step.ToString(CultureInfo.InvariantCulture));
            var line = await child.StandardOutput.ReadLineAsync() ?? "child exited";
            var connected = int.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
            await Task.Delay(settle);
            var (heap, set) = Measure();
            var added = Math.Max(1, connected - prevCount);
            Console.WriteLine($"| {connected:N0} | {heap / 1024.0 / 1024:F1} | {set / 1024.0 / 1024:F1} | {(heap - prevHeap) / added:N0} B | {(set - prevSet) / added:N0} B |  ({line})");
            (prevCount, prevHeap, prevSet) = (connected, heap, set);
        }

        Console.WriteLine($"after the last step: {GcInfo()}");
        if (baseTypes is not null)
        {
            HeapByType.PrintDiff(baseTypes, await HeapByType.ReadAsync(pid), Math.Max(1, prevCount), byType);
        }

        child.StandardInput.Close();
        await child.WaitForExitAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        return 0;
    }

    private static Process StartClients(string url)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(IdleConnectionsHarness).Assembly.Location);
        }

        start.ArgumentList.Add("clients");
        start.ArgumentList.Add(url);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the client process");
    }

    /// <summary>What the GC holds beyond live objects: committed memory, fragmentation, the budgets' settings.</summary>
    private static string GcInfo()
    {
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        using var self = Process.GetCurrentProcess();
        return string.Create(CultureInfo.InvariantCulture,
            $"GC committed {info.TotalCommittedBytes / 1048576.0:F1} MiB, heap size {info.HeapSizeBytes / 1048576.0:F1} MiB, fragmented {info.FragmentedBytes / 1048576.0:F1} MiB, private {self.PrivateMemorySize64 / 1048576.0:F1} MiB, threads {self.Threads.Count}, GC settings: {GcSettings()}");
    }

    private static string GcSettings()
    {
        var set = new List<string> { System.Runtime.GCSettings.IsServerGC ? "server" : "workstation" };
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && name.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase))
            {
                set.Add($"{name}={variable.Value}");
            }
        }

        return string.Join(' ', set);
    }

    private static (long Heap, long WorkingSet) Measure()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var self = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: false), self.WorkingSet64);
    }
}
