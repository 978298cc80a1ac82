"""How soon `secondme chat` accepts input: time from launching the process in a terminal (a pty)
until its input box is drawn and focused, and until a typed character is echoed back.

    python bench/tui_startup.py [--runs 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The first character carries the cursor style, so match from the second one.
PLACEHOLDER = b"essage secondme"


def read_until(fd: int, needle: bytes, deadline: float, buffer: bytearray) -> float | None:
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                buffer += os.read(fd, 65536)
            except OSError:
                return None
            if needle in buffer:
                return time.perf_counter()
    return None


def one_run(home: Path) -> tuple[float, float]:
    secondme = Path(sys.executable).with_name("secondme")
    env = {**os.environ, "SECONDME_HOME": str(home), "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    leader, follower = pty.openpty()
    os.set_blocking(leader, False)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen([str(secondme), "chat"], stdin=follower, stdout=follower, stderr=follower, env=env, start_new_session=True)
    os.close(follower)
    buffer = bytearray()
    try:
        drawn = read_until(leader, PLACEHOLDER, started + 30, buffer)
        if drawn is None:
            raise RuntimeError("the chat never drew its input box")
        os.write(leader, b"Z")
        echoed = read_until(leader, b"Z", time.perf_counter() + 10, bytearray())
        if echoed is None:
            raise RuntimeError("a typed key was not echoed")
        return drawn - started, echoed - started
    finally:
        os.write(leader, b"\x11")  # Ctrl+Q
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        os.close(leader)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tui-bench-") as home:
        one_run(Path(home))  # first run creates the key and the store, not measured
        runs = [one_run(Path(home)) for _ in range(args.runs)]
    drawn, echoed = [r[0] for r in runs], [r[1] for r in runs]
    report = {
        "input_ready_s_median": round(statistics.median(drawn), 3),
        "input_ready_s_min": round(min(drawn), 3),
        "first_key_echo_s_median": round(statistics.median(echoed), 3),
        "runs": args.runs,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"`secondme chat` in a terminal, {args.runs} runs:")
        print(f"  input box drawn and focused: median {report['input_ready_s_median']} s, min {report['input_ready_s_min']} s")
        print(f"  first typed key echoed:      median {report['first_key_echo_s_median']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
