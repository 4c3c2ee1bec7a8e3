import asyncio, os, msgpack, websockets

async def main():
    url = os.environ.get("MARKETSTREAM_URL", "ws://127.0.0.1:5080/ws")
    async with websockets.connect(url, subprotocols=["marketstream.v1"]) as ws:
        await ws.send(msgpack.packb([2, 1, ["AAPL", "MSFT"], 1, 0, 0, []]))  # Subscribe, full mode
        names = {}
        async for frame in ws:
            msg = msgpack.unpackb(frame)
            for m in msg[1] if msg[0] == 24 else [msg]:  # a Batch [24, [...]] holds many messages
                if m[0] == 20: names[m[2][0]] = m[2][1]; print("snapshot", m[2][1], "seq", m[4])
                if m[0] == 21: print("update", names[m[1]], "seq", m[3], "kind", m[4], m[5:9])

asyncio.run(main())
