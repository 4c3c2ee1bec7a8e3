using CsCheck;
using MarketStream.Model;

namespace MarketStream.Protocol.Tests;

/// <summary>Property-based tests (CsCheck): random valid messages round-trip; random or mutated bytes never throw.</summary>
public class PropertyTests
{
    [Fact]
    public void ClientMessages_Random_RoundTripByteForByte() =>
        Generators.ClientMessage.Sample(m =>
        {
            var bytes = Wire.Encode(m);
            Assert.True(ClientMessageReader.TryRead(bytes.AsMemory(), out var decoded, out var error), error.ToString());
            Assert.Equal(m.GetType(), decoded!.GetType());
            Assert.Equal(bytes, Wire.Encode(decoded));
        }, iter: 5_000);

    [Fact]
    public void ServerMessages_Random_RoundTripByteForByte() =>
        Generators.ServerBody.Sample(m =>
        {
            var bytes = Wire.Encode(m);
            var decoded = Assert.Single(Wire.DecodeServer(bytes, out _));
            Assert.Equal(m.Type, decoded.Type);
            Assert.Equal(bytes, Wire.Encode(decoded));
        }, iter: 5_000);

    [Fact]
    public void Batches_RandomStream_RoundTripInOrder() =>
        Gen.OneOf(
                Generators.Tick.Select(t => (object)t),
                Generators.Merged.Select(m => (object)m),
                Generators.ServerBody.Select(b => (object)b))
            .Array[0, 40]
            .Sample(items =>
            {
                var batch = new BatchWriter(1 << 20);
                foreach (var item in items)
                {
                    var ok = item switch
                    {
                        Model.Tick t => batch.TryAppendUpdate(t),
                        Model.MergedUpdate m => batch.TryAppendMerged(m),
                        _ => batch.TryAppend((ServerMessageBody)item),
                    };
                    Assert.True(ok);
                }

                var frame = batch.Complete().ToArray();
                var decoded = Wire.DecodeServer(frame, out var isBatch);
                Assert.True(isBatch);
                Assert.Equal(items.Length, decoded.Count);
                Assert.Equal(frame, Wire.Reencode(decoded, asBatch: true));
            }, iter: 1_000);

    [Fact]
    public void ClientReader_RandomBytes_NeverThrows() =>
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            var ok = ClientMessageReader.TryRead(bytes.AsMemory(), out var message, out var error);
            Assert.True(ok ? message is not null && !error.IsError : message is null && error.IsError);
        }, iter: 200_000);

    [Fact]
    public void ServerReader_RandomBytes_NeverThrows() =>
        Gen.Byte.Array[0, 64].Sample(bytes => Wire.DrainServer(bytes), iter: 200_000);

    [Fact]
    public void ClientReader_MutatedValidMessages_NeverThrow() =>
        (from m in Generators.ClientMessage
         from mutations in Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte, Gen.Int[0, 3]).Array[1, 4]
         select (m, mutations))
        .Sample(x =>
        {
            var bytes = Mutate(Wire.Encode(x.m), x.mutations);
            var ok = ClientMessageReader.TryRead(bytes.AsMemory(), out var message, out var error);
            Assert.True(ok ? message is not null : error.IsError);
        }, iter: 50_000);

    [Fact]
    public void ServerReader_MutatedValidFrames_NeverThrow() =>
        (from items in Generators.Tick.Array[0, 8]
         from body in Generators.ServerBody
         from mutations in Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte, Gen.Int[0, 3]).Array[1, 4]
         select (items, body, mutations))
        .Sample(x =>
        {
            var batch = new BatchWriter(8192);
            foreach (var t in x.items)
            {
                batch.TryAppendUpdate(t);
            }

            batch.TryAppend(x.body);
            Wire.DrainServer(Mutate(batch.Complete().ToArray(), x.mutations));
        }, iter: 50_000);

    /// <summary>Overwrites, inserts, deletes or truncates bytes.</summary>
    private static byte[] Mutate(byte[] bytes, (int Position, byte Value, int Kind)[] mutations)
    {
        var list = new List<byte>(bytes);
        foreach (var (position, value, kind) in mutations)
        {
            if (list.Count == 0)
            {
                list.Add(value);
                continue;
            }

            var i = position % list.Count;
            switch (kind)
            {
                case 0: list[i] = value; break;
                case 1: list.Insert(i, value); break;
                case 2: list.RemoveAt(i); break;
                default: list.RemoveRange(i, list.Count - i); break;
            }
        }

        return [.. list];
    }
}
