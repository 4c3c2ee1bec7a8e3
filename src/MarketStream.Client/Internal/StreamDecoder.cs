using MarketStream.Model;
using MarketStream.Protocol;

namespace MarketStream.Client.Internal;

/// <summary>
/// Turns server frames into <see cref="MarketEvent"/>s and keeps the book: maps the connection's symbol ids
/// to streams, applies snapshots, resets, updates and merges, and checks every sequence (docs/protocol.md
/// §2.4, §8 step 4). Control messages (acks, Pong, Error, Welcome) go to a separate list for the client.
/// Allocates nothing per Update or Merged.
/// </summary>
internal sealed class StreamDecoder(MarketBook book)
{
    // Symbol ids are per connection (§2.1); the book is by name and survives reconnects.
    private readonly Dictionary<int, SymbolStream> _byId = [];

    public MarketBook Book { get; } = book;

    /// <summary>Updates dropped because their seq was not beyond the position (never expected from a correct server).</summary>
    public long StaleUpdates { get; private set; }

    /// <summary>Updates for an id no SubscribeAck, Snapshot or Reset defined (never expected from a correct server).</summary>
    public long UnknownSymbolUpdates { get; private set; }

    /// <summary>Forgets the previous connection's symbol ids.</summary>
    public void NewConnection()
    {
        lock (Book.Sync)
        {
            _byId.Clear();
        }
    }

    /// <summary>Decodes one frame. False (with <paramref name="error"/>) if the frame is invalid; events before the error are kept.</summary>
    public bool Decode(ReadOnlyMemory<byte> frame, long clientTimeNs, EventBuffer events, List<ServerMessageBody> control, out ProtocolError error)
    {
        var reader = new ServerFrameReader(frame);
        lock (Book.Sync)
        {
            while (true)
            {
                switch (reader.Read(out var message, out error))
                {
                    case ReadStatus.EndOfFrame:
                        return true;
                    case ReadStatus.Error:
                        return false;
                }

                switch (message.Type)
                {
                    case MessageType.Update:
                        OnUpdate(message.Update, clientTimeNs, events);
                        break;
                    case MessageType.Merged:
                        OnMerged(message.Merged, clientTimeNs, events);
                        break;
                    default:
                        OnBody(message.Body!, clientTimeNs, events, control);
                        break;
                }
            }
        }
    }

    private void OnUpdate(in Tick update, long clientTimeNs, EventBuffer events)
    {
        if (!_byId.TryGetValue(update.SymbolId, out var stream))
        {
            UnknownSymbolUpdates++;
            return;
        }

        if (!CheckSequence(stream, update.Epoch, update.Seq, clientTimeNs, events))
        {
            return;
        }

        BookUpdate.Apply(ref stream.State, update);
        stream.HasPosition = true;
        events.Add(new MarketEvent(stream.Info, update, stream.State, clientTimeNs));
    }

    private void OnMerged(in MergedUpdate merged, long clientTimeNs, EventBuffer events)
    {
        if (!_byId.TryGetValue(merged.SymbolId, out var stream))
        {
            UnknownSymbolUpdates++;
            return;
        }

        if (!CheckSequence(stream, merged.Epoch, merged.FirstSeq, clientTimeNs, events))
        {
            return;
        }

        // §2.4: count == lastSeq − firstSeq + 1 is conflation; fewer means updates inside the range were lost.
        var covered = merged.LastSeq - merged.FirstSeq + 1;
        if (merged.Count < covered)
        {
            events.Add(new MarketEvent(MarketEventKind.Gap, stream.Info, 0, merged.Epoch, merged.FirstSeq, merged.LastSeq, (int)Math.Min(covered - merged.Count, int.MaxValue), default, clientTimeNs));
        }

        BookUpdate.Apply(ref stream.State, merged);
        stream.HasPosition = true;
        events.Add(new MarketEvent(stream.Info, merged, stream.State, clientTimeNs));
    }

    /// <summary>
    /// Checks that an update starting at <paramref name="firstSeq"/> continues the stream. Reports a Gap when
    /// it skips ahead (or changes epoch without a Reset); returns false for a stale update (already applied).
    /// </summary>
    private bool CheckSequence(SymbolStream stream, long epoch, long firstSeq, long clientTimeNs, EventBuffer events)
    {
        long expected;
        if (stream.HasPosition && stream.State.Epoch == epoch)
        {
            if (firstSeq <= stream.State.Seq)
            {
                StaleUpdates++;
                return false;
            }

            expected = stream.State.Seq + 1;
        }
        else
        {
            // No snapshot yet, or a new epoch without a Reset: everything of this epoch before it is missing.
            expected = 1;
        }

        if (firstSeq != expected)
        {
            events.Add(new MarketEvent(MarketEventKind.Gap, stream.Info, 0, epoch, expected, firstSeq - 1, (int)Math.Min(firstSeq - expected, int.MaxValue), default, clientTimeNs));
        }

        return true;
    }

    private void OnBody(ServerMessageBody body, long clientTimeNs, EventBuffer events, List<ServerMessageBody> control)
    {
        switch (body)
        {
            case SnapshotMessage m:
                events.Add(Replace(MarketEventKind.Snapshot, m.RequestId, m.Symbol, m.State, default, clientTimeNs));
                break;
            case ResetMessage m:
                events.Add(Replace(MarketEventKind.Reset, m.RequestId, m.Symbol, m.State, m.Reason, clientTimeNs));
                break;
            case HeartbeatMessage m:
                events.Add(new MarketEvent(MarketEventKind.Heartbeat, null, 0, 0, 0, 0, 0, default, clientTimeNs, m));
                break;
            case NoticeMessage m:
                events.Add(new MarketEvent(MarketEventKind.Notice, null, m.SubscriptionId, 0, 0, 0, 0, default, clientTimeNs, m));
                break;
            case SubscribeAckMessage m:
                // Resumed symbols get no Snapshot (§2.4): the ack is where their ids on this connection come from.
                foreach (var symbol in m.Symbols)
                {
                    _byId[symbol.Id] = Book.GetOrAdd(symbol);
                }

                control.Add(m);
                break;
            default:
                control.Add(body);
                break;
        }
    }

    private MarketEvent Replace(MarketEventKind kind, long requestId, SymbolInfo symbol, in SymbolSnapshot state, ResetReason reason, long clientTimeNs)
    {
        var stream = Book.GetOrAdd(symbol);
        _byId[symbol.Id] = stream;
        stream.State = state;
        stream.HasPosition = true;
        return new MarketEvent(kind, symbol, requestId, state.Epoch, state.Seq, state.Seq, 0, state, clientTimeNs, resetReason: reason);
    }

    /// <summary>Drops symbols no subscription covers any more, so they are neither resumed nor shown.</summary>
    public void Forget(IEnumerable<string> names)
    {
        lock (Book.Sync)
        {
            foreach (var name in names)
            {
                if (Book.TryGetStream(name, out var stream))
                {
                    _byId.Remove(stream!.Info.Id);
                    Book.Remove(name);
                }
            }
        }
    }

    /// <summary>Resume positions of <paramref name="names"/> that have one (docs/protocol.md §2.4).</summary>
    public List<ResumePosition> ResumePositions(IEnumerable<string> names)
    {
        var positions = new List<ResumePosition>();
        lock (Book.Sync)
        {
            foreach (var name in names)
            {
                if (Book.TryGetStream(name, out var stream) && stream!.HasPosition)
                {
                    positions.Add(new ResumePosition(name, stream.State.Epoch, stream.State.Seq));
                }
            }
        }

        return positions;
    }
}
