namespace MarketStream.Fuzz;

/// <summary>A decoder broke one of its own promises (see <see cref="FuzzTargets"/>); fuzzers report it as a crash.</summary>
internal sealed class FuzzInvariantException : Exception
{
    public FuzzInvariantException()
    {
    }

    public FuzzInvariantException(string message)
        : base(message)
    {
    }

    public FuzzInvariantException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
