namespace MarketStream.LoadTest.Clients;

/// <summary>One simulated subscriber (the per-client step of a scenario), over either target's protocol.</summary>
internal interface ILoadClient : IAsyncDisposable
{
    /// <summary>Last sequence number received per universe symbol index (0 = nothing yet); read racily by the scenario.</summary>
    long[] LastSeq { get; }

    /// <summary>Connects, waits for the server's first message, and starts the receive loop.</summary>
    Task ConnectAsync(CancellationToken ct);

    /// <summary>Subscribes to <paramref name="symbols"/> and waits for the acknowledgement.</summary>
    Task SubscribeAsync(IReadOnlyList<string> symbols, CancellationToken ct);

    /// <summary>Why the server or the network ended the connection; null while open or when the load tool closed it.</summary>
    string? CloseReason { get; }

    /// <summary>Completes when the receive loop has ended (close, error, or cancellation).</summary>
    Task Completion { get; }
}
