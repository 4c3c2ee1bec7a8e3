using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace MarketStream.BrowserTests.Infrastructure;

/// <summary>A page and its context; disposing closes both.</summary>
public sealed class BrowserPage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    /// <summary>console.error output and uncaught exceptions seen by the page.</summary>
    public ConcurrentBag<string> ConsoleErrors { get; } = [];

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
