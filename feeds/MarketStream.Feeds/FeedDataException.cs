namespace MarketStream.Feeds;

/// <summary>
/// A feed input (universe file, CSV or binary tick file) is malformed. The message names the
/// source and the position (line for text, byte offset for binary), so an operator can fix the file.
/// </summary>
public sealed class FeedDataException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/> at a text line or byte offset.</summary>
    /// <param name="source">File name or description of the input.</param>
    /// <param name="line">1-based line number for text inputs; 0 when not applicable.</param>
    /// <param name="offset">Byte offset for binary inputs; -1 when not applicable.</param>
    /// <param name="detail">What is wrong.</param>
    public FeedDataException(string source, long line, long offset, string detail)
        : base(Describe(source, line, offset, detail))
    {
        SourceName = source;
        Line = line;
        Offset = offset;
        Detail = detail;
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public FeedDataException()
        : this("input", 0, -1, "malformed input")
    {
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public FeedDataException(string message)
        : base(message)
    {
        SourceName = "input";
        Offset = -1;
        Detail = message;
    }

    /// <summary>Creates the exception with a plain message and a cause.</summary>
    public FeedDataException(string message, Exception innerException)
        : base(message, innerException)
    {
        SourceName = "input";
        Offset = -1;
        Detail = message;
    }

    /// <summary>File name or description of the input.</summary>
    public string SourceName { get; }

    /// <summary>1-based line number for text inputs; 0 when not applicable.</summary>
    public long Line { get; }

    /// <summary>Byte offset for binary inputs; -1 when not applicable.</summary>
    public long Offset { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Detail { get; }

    private static string Describe(string source, long line, long offset, string detail)
    {
        if (line > 0)
        {
            return $"{source} line {line}: {detail}";
        }

        return offset >= 0 ? $"{source} offset {offset}: {detail}" : $"{source}: {detail}";
    }
}
