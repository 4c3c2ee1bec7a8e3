using System.Buffers;
using MarketStream.Protocol.Internal;

namespace MarketStream.Protocol;

/// <summary>
/// Reads the messages of one server → client WebSocket message (docs/protocol.md §3, §4.8). A Batch is
/// flattened: each of its elements comes out as its own message, in stream order; any other message
/// comes out alone. The whole frame is validated structurally on the first <see cref="Read"/>, so a
/// corrupt frame yields <see cref="ReadStatus.Error"/> before any of its messages. Never throws; allocates
/// nothing for Update and Merged.
/// </summary>
/// <remarks>
/// Two passes over the bytes, both straight over the span (no MessagePackReader): the structural walk (a couple of
/// branches per integer, no typed reads), then typed reads that check each field's type byte and bounds as they go
/// (perf/README.md, Client decode; the structural walk is about a third of the total).
/// </remarks>
/// <example>
/// <code>
/// var reader = new ServerFrameReader(frame);
/// while (reader.Read(out var message, out var error) == ReadStatus.Message) { … }
/// </code>
/// </example>
public ref struct ServerFrameReader
{
    private readonly ReadOnlySpan<byte> _frame;
    private readonly DecoderLimits _limits;
    private SpanFieldReader _reader;
    private ProtocolError _error;
    private int _batchRemaining;
    private int _trailing;
    private State _state;

    /// <summary>Reads <paramref name="frame"/> with <see cref="DecoderLimits.ServerInput"/> unless <paramref name="limits"/> is given.</summary>
    public ServerFrameReader(ReadOnlyMemory<byte> frame, DecoderLimits? limits = null)
    {
        _frame = frame.Span;
        _limits = limits ?? DecoderLimits.ServerInput;
        _reader = new SpanFieldReader(_frame);
        _state = State.NotStarted;
    }

    /// <summary>Reads a possibly multi-segment frame (copied once if it is not contiguous).</summary>
    public ServerFrameReader(ReadOnlySequence<byte> frame, DecoderLimits? limits = null)
        : this(frame.IsSingleSegment ? frame.First : frame.ToArray(), limits)
    {
    }

    private enum State
    {
        NotStarted,
        InBatch,
        Done,
        Failed,
    }

    /// <summary>True if the frame was a Batch (known after the first <see cref="Read"/>).</summary>
    public bool IsBatch { get; private set; }

    /// <summary>Reads the next message.</summary>
    public ReadStatus Read(out ServerMessage message, out ProtocolError error)
    {
        try
        {
            return ReadCore(out message, out error);
        }
        catch (Exception ex) when (ex is IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            // Unreachable: every read checks its bounds and types; kept so a reader bug can never become a crash (§7).
            message = default;
            return Fail(ErrorCode.MalformedMessage, "frame could not be decoded", out error);
        }
    }

    private ReadStatus ReadCore(out ServerMessage message, out ProtocolError error)
    {
        // The message is assigned once on every path: it is ~100 bytes, and each extra "= default" is a memset.
        switch (_state)
        {
            case State.Failed:
                message = default;
                error = _error;
                return ReadStatus.Error;
            case State.Done:
                message = default;
                error = default;
                return ReadStatus.EndOfFrame;
            case State.InBatch:
                if (_batchRemaining == 0)
                {
                    message = default;
                    if (!_reader.TrySkip(_trailing))
                    {
                        return Fail(ErrorCode.MalformedMessage, "message is truncated", out error);
                    }

                    _state = State.Done;
                    error = default;
                    return ReadStatus.EndOfFrame;
                }

                _batchRemaining--;
                return ReadOne(inBatch: true, out message, out error);
            default:
                break;
        }

        var code = StructureValidator.Validate(_frame, _limits, out var detail);
        if (code != ErrorCode.None)
        {
            message = default;
            return Fail(code, detail, out error);
        }

        var peek = _reader;
        if (peek.TryReadArrayHeader(out var count) && count >= 2
            && peek.TryReadInt32(0, byte.MaxValue, out var type) && type == (int)MessageType.Batch)
        {
            if (!peek.TryReadArrayHeader(out var elements))
            {
                message = default;
                return Fail(ErrorCode.InvalidField, "Batch element 1 must be an array of messages", out error);
            }

            _reader = peek;
            IsBatch = true;
            _batchRemaining = elements;
            _trailing = count - 2;
            _state = State.InBatch;
            return ReadCore(out message, out error);
        }

        _state = State.Done;
        return ReadOne(inBatch: false, out message, out error);
    }

    private ReadStatus ReadOne(bool inBatch, out ServerMessage message, out ProtocolError error)
    {
        if (!_reader.TryReadArrayHeader(out var count) || count == 0
            || !_reader.TryReadInt32(0, byte.MaxValue, out var typeCode))
        {
            message = default;
            return Fail(ErrorCode.UnknownMessageType, "a message is an array [type, …]", out error);
        }

        var type = (MessageType)typeCode;
        if (type == MessageType.Batch || type < MessageType.Welcome)
        {
            message = default;
            return Fail(ErrorCode.UnknownMessageType, inBatch ? "a Batch element must be a server message other than Batch" : "not a server message type", out error);
        }

        if (!ServerBodyReader.TryRead(ref _reader, count, type, out message, out error))
        {
            return Fail(error.Code, error.Message, out error);
        }

        return ReadStatus.Message;
    }

    private ReadStatus Fail(ErrorCode code, string detail, out ProtocolError error)
    {
        _state = State.Failed;
        _error = new ProtocolError(code, 0, detail);
        error = _error;
        return ReadStatus.Error;
    }
}
