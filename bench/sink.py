"""A do-nothing aiosmtpd server, set up like bounced's listener (same line limit), for comparison.

    python -m bench.sink HOST:PORT
"""

from __future__ import annotations

import asyncio
import sys

from aiosmtpd.handlers import Sink
from aiosmtpd.smtp import SMTP


class Session(SMTP):
    line_length_limit = 1 << 20


async def main(host: str, port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Session(Sink(), enable_SMTPUTF8=True, decode_data=False), host, port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    h, _, p = sys.argv[1].rpartition(":")
    asyncio.run(main(h, int(p)))
