import asyncio, os, msgpack, websockets
from decimal import Decimal

KINDS = {1: "quote", 2: "trade"}

async def main():
    url = os.environ.get("MARKETSTREAM_URL", "ws://127.0.0.1:5080/ws")
    async with websockets.connect(url, subprotocols=["marketstream.v1"]) as ws:
        await ws.send(msgpack.packb([2, 1, ["AAPL", "MSFT"], 1, 0, 0, []]))  # Subscribe, full mode
        symbols = {}  # symbol id -> definition [id, name, priceScale, sizeScale, currency, venue]
        async for frame in ws:
            msg = msgpack.unpackb(frame)
            for m in msg[1] if msg[0] == 24 else [msg]:  # a Batch [24, [...]] holds many messages
                if m[0] == 20: symbols[m[2][0]] = m[2]; print("snapshot", m[2][1], "seq", m[4])
                if m[0] == 21:  # Update [21, id, epoch, seq, kind, price, size, …]: a quote's bid
                    d = symbols[m[1]]
                    price, size = Decimal(m[5]).scaleb(-d[2]), Decimal(m[6]).scaleb(-d[3])
                    print("update", d[1], "seq", m[3], KINDS[m[4]], price, "x", size)

try:
    asyncio.run(main())
except KeyboardInterrupt:
    pass  # Ctrl-C ends the stream
