#!/usr/bin/env python3
"""Parses the given files from memory with Python's feedparser, repeated until MIN_BYTES were
parsed, and prints bytes, items and seconds (the same protocol as `vigia-bench parse`).

usage: feedparser_rate.py MIN_BYTES FILE...
"""
import sys
import time

import feedparser


def main():
    minimum = int(sys.argv[1])
    documents = [open(path, "rb").read() for path in sys.argv[2:]]
    round_bytes = sum(len(d) for d in documents)
    rounds = max(1, -(-minimum // round_bytes))
    items = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    for _ in range(rounds):
        for data in documents:
            items += len(feedparser.parse(data).entries)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    print("bytes=%d" % (round_bytes * rounds))
    print("items=%d" % items)
    print("seconds=%f" % seconds)
    print("cpu_seconds=%f" % cpu_seconds)


if __name__ == "__main__":
    main()
