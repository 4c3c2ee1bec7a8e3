using System.Buffers;
using MarketStream.Protocol;
using MessagePack;

namespace MarketStream.Protocol.Tests;

/// <summary>Encode/decode helpers shared by the tests.</summary>
internal static class Wire
{
    public static byte[] Encode(ClientMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ClientMessageWriter.Write(buffer, message);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Encode(ServerMessageBody message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ServerMessageWriter.Write(buffer, message);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Encode(in ServerMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        ServerMessageWriter.Write(ref writer, message);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public static ClientMessage DecodeClient(byte[] bytes)
    {
        Assert.True(ClientMessageReader.TryRead(bytes.AsMemory(), out var message, out var error), error.ToString());
        return message!;
    }

    /// <summary>Every message in a frame, batches flattened; fails the test on a decode error.</summary>
    public static List<ServerMessage> DecodeServer(byte[] frame, out bool isBatch)
    {
        var list = new List<ServerMessage>();
        var reader = new ServerFrameReader(frame);
        ReadStatus status;
        while ((status = reader.Read(out var message, out var error)) == ReadStatus.Message)
        {
            list.Add(message);
        }

        Assert.Equal(ReadStatus.EndOfFrame, status);
        isBatch = reader.IsBatch;
        return list;
    }

    /// <summary>Reads a frame to its end and reports the outcome; must never throw.</summary>
    public static (int Messages, ProtocolError Error) DrainServer(ReadOnlyMemory<byte> frame, DecoderLimits? limits = null)
    {
        var reader = new ServerFrameReader(frame, limits);
        var n = 0;
        while (true)
        {
            switch (reader.Read(out _, out var error))
            {
                case ReadStatus.Message: n++; break;
                case ReadStatus.EndOfFrame: return (n, default);
                default: return (n, error);
            }
        }
    }

    /// <summary>Re-encodes decoded server messages as the server would put them on the wire.</summary>
    public static byte[] Reencode(List<ServerMessage> messages, bool asBatch)
    {
        if (!asBatch)
        {
            Assert.Single(messages);
            return Encode(messages[0]);
        }

        var batch = new BatchWriter(1 << 20);
        foreach (var m in messages)
        {
            Assert.True(batch.TryAppendEncoded(Encode(m)));
        }

        return batch.Complete().ToArray();
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
