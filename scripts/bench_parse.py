#!/usr/bin/env python3
"""Time Python's stdlib email parser over every .eml of a folder.

The baseline `make bench-parse` prints beside the plugin's own parse path
(internal/email/benchparse): email.parser.BytesParser with policy.default,
every text part decoded with get_content(). Each email is read once and
parsed --passes times; its time is the fastest pass, as on the Go side.
The last line has the Go side's shape, named "python":

    python: N emails, mean X ms, median X ms, p99 X ms, max X ms, failures N, peak RSS X MiB

Usage: bench_parse.py [--passes N] DIR
"""

import argparse
import glob
import math
import os
import resource
import sys
import time
from email import policy
from email.parser import BytesParser

# The same cap as the plugin's email.DefaultMaxBytes: 40 MiB.
MAX_BYTES = 40 << 20


def parse(raw):
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    for part in msg.walk():
        if part.get_content_maintype() == "text":
            part.get_content()


def percentile(sorted_values, p):
    """Nearest-rank percentile, the Go side's definition."""
    rank = math.ceil(p / 100 * len(sorted_values))
    return sorted_values[max(rank, 1) - 1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", help="folder of .eml files")
    ap.add_argument("--passes", type=int, default=3, help="parses per email; the fastest counts")
    args = ap.parse_args()
    files = sorted(glob.glob(os.path.join(args.dir, "*.eml")))
    if not files:
        sys.exit(f"bench_parse.py: no .eml files in {args.dir}: pass DIR=folder")

    times, failures = [], 0
    for path in files:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
        best, failed = math.inf, False
        for _ in range(max(args.passes, 1)):
            start = time.perf_counter()
            try:
                parse(raw)
            except Exception as e:  # the stdlib raises on some hostile input
                failed = True
                print(f"python refused: {os.path.basename(path)}: {e}"[:200])
            best = min(best, time.perf_counter() - start)
        failures += failed
        times.append(best * 1000)

    times.sort()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"python: {len(times)} emails, mean {sum(times) / len(times):.2f} ms, "
        f"median {percentile(times, 50):.2f} ms, p99 {percentile(times, 99):.2f} ms, "
        f"max {times[-1]:.2f} ms, failures {failures}, peak RSS {rss:.1f} MiB"
    )


if __name__ == "__main__":
    main()
