using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketStream.IntegrationTests.Infrastructure;

/// <summary>
/// An in-memory <see cref="ILoggerProvider"/> added to a test server, so a test can assert what the
/// server logged (event id, level and the structured fields such as <c>SessionId</c>). It records
/// MarketStream categories down to Debug and Kestrel's connection events, whatever the console shows.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    /// <summary>Adds the capture to <paramref name="builder"/> (use as RunningServer's configure hook).</summary>
    public void Install(WebApplicationBuilder builder)
    {
        builder.Logging.AddProvider(this);
        // Provider-specific rules win over the general ones, so the console keeps its quieter levels.
        builder.Logging.AddFilter<LogCapture>("MarketStream", LogLevel.Debug);
        builder.Logging.AddFilter<LogCapture>("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Debug);
        builder.Services.AddSingleton(this);
    }

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>Entries with event <paramref name="eventId"/> whose structured field <paramref name="field"/> equals <paramref name="value"/>.</summary>
    public List<LogEntry> Find(int eventId, string? field = null, object? value = null) =>
        [.. _entries.Where(e => e.EventId.Id == eventId && (field is null || Equals(e.Field(field)?.ToString(), value?.ToString())))];

    /// <summary>Waits (briefly) for at least one matching entry, then returns all matching ones; logs are written asynchronously to the test.</summary>
    public async Task<List<LogEntry>> WaitForAsync(int eventId, string? field = null, object? value = null, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            var found = Find(eventId, field, value);
            if (found.Count > 0 || DateTime.UtcNow > until)
            {
                // A second look after a short pause catches a duplicate written just behind the first.
                await Task.Delay(100, TestContext.Current.CancellationToken);
                return Find(eventId, field, value);
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> State, Exception? Exception)
    {
        public object? Field(string name)
        {
            foreach (var (key, value) in State)
            {
                if (key == name)
                {
                    return value;
                }
            }

            return null;
        }

        public override string ToString() => $"{Level} {Category}[{EventId.Id}:{EventId.Name}] {Message}";
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            owner._entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), [.. fields], exception));
        }
    }
}
