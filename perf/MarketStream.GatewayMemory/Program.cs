using MarketStream.GatewayMemory;

// `dotnet run -c Release --project perf/MarketStream.GatewayMemory -p:SkipWebFrontEnd=true -- [--connections 1000,5000] [--settle 5] [--by-type 40]`
// hosts the gateway in this process, opens idle WebSocket connections to it from a child process
// (so client memory is not counted) and prints the server's memory per connection. perf/README.md, "C: idle connection memory".
// `clients <ws-url> <count>` is the child's entry point.
if (args.Length > 0 && args[0] == "heap")
{
    // `heap <pid>`: the by-type reader the harness starts on itself (--by-type N).
    return HeapByType.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "clients")
{
    return await IdleClients.RunAsync(args[1..]);
}

return await IdleConnectionsHarness.RunAsync(args);
