namespace MarketStream.Client.Cli;

/// <summary>A command line that cannot be run (exit code 2).</summary>
internal sealed class CliUsageException(string message) : Exception(message);
