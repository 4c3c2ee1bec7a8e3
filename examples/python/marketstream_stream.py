#!/usr/bin/python3
"""MarketStream quant example: connect, subscribe, decode per docs/protocol.md, detect gaps, print lines;
on a dropped connection, reconnect with backoff and resume where it left off (§2.4).

Uses only Debian's python3-websockets and python3-msgpack (scripts/install-deps.sh installs them):

    /usr/bin/python3 examples/python/marketstream_stream.py AAPL MSFT --url ws://127.0.0.1:5080/ws --seconds 10

One line per event on stdout:

    connected session=s-1 heartbeat_ms=5000
    ack id=1 mode=full symbols=AAPL,MSFT
    snapshot AAPL epoch=1795… seq=41 bid=189.50 ask=189.52 last=189.51
    update AAPL epoch=1795… seq=42 quote bid=189.51 ask=189.53
    update AAPL epoch=1795… seq=43 trade price=189.52 size=100 side=buy
    merged AAPL epoch=1795… seq=44..47 count=4 bid=… ask=…
    reset AAPL reason=1 epoch=… seq=…
    GAP AAPL epoch=… missing=48..49
    heartbeat lag_ms=0 queued=0 merged=0
    notice code=1 subscription=1 value=0 text=…
    error code=1008 request=1 text=…
    disconnected code=1006 reconnect=1 in_ms=180
    connected session=s-2 heartbeat_ms=5000      (then replayed updates continue at seq + 1, or a reset)
    summary updates=120 merged=3 gaps=0 resets=0 reconnects=1

Reconnects: after a close that reconnecting can fix (1001 going away, 1006 connection lost, 1011,
4000 slow consumer, 4003, 4004, 4006; docs/protocol.md §6) the script waits with exponential backoff
and jitter (0.25 s doubling to 8 s), reconnects and subscribes again with `resume` = the last
(epoch, seq) it printed for each symbol, so the server replays what was missed or sends a reset.
At most --max-reconnects attempts in a row (default 10; 0 = never). Other closes (1008, 4001,
4002, …) need a fix first and end the script.

Exit codes: 0 done, 1 connection refused/closed or a server error, 2 bad arguments.
"""

import argparse
import asyncio
import random
import sys
from decimal import Decimal

import msgpack
import websockets

SUBPROTOCOL = "marketstream.v1"  # docs/protocol.md §1.2
TOKEN_PREFIX = "marketstream.token."  # §1.3, way 1

# Message type codes, docs/protocol.md §4.
SUBSCRIBE, WELCOME, SUBSCRIBE_ACK, SNAPSHOT, UPDATE, MERGED, RESET, BATCH, HEARTBEAT, NOTICE, ERROR = 2, 16, 18, 20, 21, 22, 23, 24, 25, 26, 28
QUOTE, TRADE = 1, 2
SIDES = {0: "unknown", 1: "buy", 2: "sell"}
RETRYABLE_CLOSES = {1001, 1006, 1011, 4000, 4003, 4004, 4006}  # docs/protocol.md §6: reconnect and resume


def price(mantissa, scale):
    """Exact decimal text of a fixed-point mantissa (§2.3): never a float."""
    return str(Decimal(mantissa).scaleb(-scale)) if scale else str(mantissa)


class Stream:
    """Per-symbol state: definitions by id (§2.1) and the last (epoch, seq) by name (§2.4)."""

    def __init__(self, out):
        self.out = out
        self.by_id = {}  # symbol id -> definition [id, name, priceScale, sizeScale, currency, venue]
        self.position = {}  # name -> (epoch, seq)
        self.counts = {"updates": 0, "merged": 0, "gaps": 0, "resets": 0, "reconnects": 0}
        self.failed = False
        self.welcomed = False  # a Welcome arrived on the current connection

    def emit(self, line):
        print(line, file=self.out, flush=True)

    def define(self, definition):
        self.by_id[definition[0]] = definition
        return definition

    def state_text(self, d, quote, trade):
        parts = []
        if quote is not None:
            parts += [f"bid={price(quote[0], d[2])}", f"ask={price(quote[2], d[2])}"]
        if trade is not None:
            parts += [f"last={price(trade[0], d[2])}"]
        return " ".join(parts)

    def check(self, name, epoch, first_seq):
        """§2.4: an update or merge must continue at last + 1 in the same epoch; anything else is a gap."""
        held = self.position.get(name)
        expected = held[1] + 1 if held is not None and held[0] == epoch else 1
        if first_seq != expected:
            self.counts["gaps"] += 1
            self.emit(f"GAP {name} epoch={epoch} missing={expected}..{first_seq - 1}")

    def handle(self, m):
        kind = m[0]
        if kind == WELCOME:
            self.welcomed = True
            self.emit(f"connected session={m[2]} heartbeat_ms={m[9]}")
        elif kind == SUBSCRIBE_ACK:
            names = [self.define(d)[1] for d in m[3]]
            self.emit(f"ack id={m[1]} mode={'full' if m[2] == 1 else 'conflated'} symbols={','.join(names)}")
        elif kind in (SNAPSHOT, RESET):
            # Snapshot [20, req, def, epoch, seq, quote, trade, …]; Reset [23, req, reason, def, epoch, seq, quote, trade, …]
            offset = 1 if kind == RESET else 0
            d = self.define(m[2 + offset])
            epoch, seq, quote, trade = m[3 + offset], m[4 + offset], m[5 + offset], m[6 + offset]
            self.position[d[1]] = (epoch, seq)
            if kind == RESET:
                self.counts["resets"] += 1
                self.emit(f"reset {d[1]} reason={m[2]} epoch={epoch} seq={seq} {self.state_text(d, quote, trade)}".rstrip())
            else:
                self.emit(f"snapshot {d[1]} epoch={epoch} seq={seq} {self.state_text(d, quote, trade)}".rstrip())
        elif kind == UPDATE:
            # [21, symbolId, epoch, seq, kind, a, b, c, d, exchangeTimeNs, receiveTimeNs, serverTimeNs]
            d = self.by_id[m[1]]
            epoch, seq = m[2], m[3]
            self.check(d[1], epoch, seq)
            self.position[d[1]] = (epoch, seq)
            self.counts["updates"] += 1
            if m[4] == QUOTE:
                detail = f"quote bid={price(m[5], d[2])} ask={price(m[7], d[2])}"
            else:
                detail = f"trade price={price(m[5], d[2])} size={price(m[6], d[3])} side={SIDES.get(m[7], m[7])}"
            self.emit(f"update {d[1]} epoch={epoch} seq={seq} {detail}")
        elif kind == MERGED:
            # [22, symbolId, epoch, firstSeq, lastSeq, count, quote, trade, …]; count == range means conflation, not loss.
            d = self.by_id[m[1]]
            epoch, first, last, count = m[2], m[3], m[4], m[5]
            self.check(d[1], epoch, first)
            if count != last - first + 1:
                self.counts["gaps"] += 1
                self.emit(f"GAP {d[1]} epoch={epoch} missing={last - first + 1 - count} of {first}..{last}")
            self.position[d[1]] = (epoch, last)
            self.counts["merged"] += 1
            quote = m[6]
            text = f" bid={price(quote[0], d[2])} ask={price(quote[2], d[2])}" if quote is not None else ""
            self.emit(f"merged {d[1]} epoch={epoch} seq={first}..{last} count={count}{text}")
        elif kind == HEARTBEAT:
            self.emit(f"heartbeat lag_ms={m[4]} queued={m[3]} merged={m[5]}")
        elif kind == NOTICE:
            self.emit(f"notice code={m[1]} subscription={m[2]} value={m[3]} text={m[4]}")
        elif kind == ERROR:
            self.failed = True
            self.emit(f"error code={m[2]} request={m[1]} text={m[3]}")
        # Other types (Authenticated, Pong, acks of other requests) need nothing here; unknown ones are ignored (§3).


def resume_entries(stream):
    """§2.4: [name, epoch, seq] of the last event printed for each symbol."""
    return [[name, epoch, seq] for name, (epoch, seq) in stream.position.items()]


def finished(args, stream):
    return args.count and stream.counts["updates"] + stream.counts["merged"] >= args.count


async def stream_once(args, stream, deadline):
    """One connection: subscribe (resuming what is known), print events until done. True when done."""
    subprotocols = [SUBPROTOCOL] + ([TOKEN_PREFIX + args.token] if args.token else [])
    mode = 1 if args.mode == "full" else 0
    loop = asyncio.get_running_loop()
    stream.welcomed = False
    async with websockets.connect(args.url, subprotocols=subprotocols, max_size=16 * 1024 * 1024) as ws:
        await ws.send(msgpack.packb([SUBSCRIBE, 1, args.symbols, mode, args.max_rate, 0, resume_entries(stream)]))
        while not stream.failed:
            timeout = None if deadline is None else deadline - loop.time()
            if timeout is not None and timeout <= 0:
                return True
            try:
                frame = await asyncio.wait_for(ws.recv(), timeout)
            except asyncio.TimeoutError:
                return True
            message = msgpack.unpackb(frame, raw=False)
            # §3: a Batch [24, [m1, m2, …]] carries complete messages in order; anything else stands alone.
            for m in message[1] if message[0] == BATCH else [message]:
                stream.handle(m)
                if finished(args, stream):
                    return True  # exactly --count, even mid-batch
    return True


async def run(args, out):
    stream = Stream(out)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + args.seconds if args.seconds > 0 else None
    attempt = 0
    while True:
        try:
            await stream_once(args, stream, deadline)
            break
        except (websockets.exceptions.ConnectionClosed, websockets.exceptions.InvalidMessage, OSError) as e:
            # Connection lost (or cut before the handshake's reply): retryable as 1006. Only a session that
            # was once established is resumed; a first connect that fails is reported.
            code = e.code if isinstance(e, websockets.exceptions.ConnectionClosed) else 1006
            if stream.welcomed:
                attempt = 0
            if not (stream.counts["reconnects"] or stream.welcomed) or code not in RETRYABLE_CLOSES or attempt >= args.max_reconnects:
                raise
            attempt += 1
            delay = min(8.0, 0.25 * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
            if deadline is not None and loop.time() + delay >= deadline:
                break
            stream.counts["reconnects"] += 1
            stream.emit(f"disconnected code={code} reconnect={attempt} in_ms={int(delay * 1000)}")
            await asyncio.sleep(delay)
    c = stream.counts
    stream.emit(f"summary updates={c['updates']} merged={c['merged']} gaps={c['gaps']} resets={c['resets']} reconnects={c['reconnects']}")
    return 1 if stream.failed else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description="Subscribe to MarketStream symbols and print every event.")
    parser.add_argument("symbols", nargs="+", help="symbol names or patterns (AAPL, EUR*, *)")
    parser.add_argument("--url", default="ws://127.0.0.1:5080/ws")
    parser.add_argument("--token", default=None, help="bearer token (JWT), if the server requires one")
    parser.add_argument("--mode", choices=["conflated", "full"], default="full")
    parser.add_argument("--max-rate", type=int, default=0, help="at most one update per symbol per N ms")
    parser.add_argument("--seconds", type=float, default=0, help="stop after N seconds (0 = run until Ctrl+C)")
    parser.add_argument("--count", type=int, default=0, help="stop after N updates and merges")
    parser.add_argument("--max-reconnects", type=int, default=10, help="reconnect attempts in a row after a drop (0 = never)")
    args = parser.parse_args(argv)
    try:
        return asyncio.run(run(args, sys.stdout))
    except websockets.exceptions.InvalidStatusCode as e:
        print(f"error: the server refused the connection with HTTP {e.status_code}", file=sys.stderr)
    except websockets.exceptions.ConnectionClosed as e:
        print(f"error: connection closed: {e.code} {e.reason}", file=sys.stderr)
    except OSError as e:
        print(f"error: cannot connect to {args.url}: {e}", file=sys.stderr)
    except KeyboardInterrupt:
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
