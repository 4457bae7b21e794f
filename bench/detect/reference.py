#!/usr/bin/env python3
"""Reference detectors for bench/detect, and the long synthetic series for the speed figure.

    reference.py alerts DATA OUTDIR     # OUTDIR/{never,seasonal}/<category>/<series>.alerts
    reference.py seasonal SERIES.csv    # the seasonal baseline's alerts on stdout (vigia's format)
    reference.py synth OUT.csv ROWS     # a mention-volume-like series of ROWS 5-minute counts

Both detectors are streaming (no look-ahead) and print what `vigia detect` prints: one line per
alert, `TIMESTAMP<TAB>SCORE`, the timestamp exactly as in the input.

* never: never fires (NAB's null detector; its normalised score is 0 by definition).
* seasonal: alert when the value exceeds mean + 4 standard deviations of the values at the same
  time of day over the previous 7 days (at least 3 such values), at most one alert per 2 hours.
  It only looks for rises: brand-mention spikes, not drops.
"""

from __future__ import annotations

import collections
import csv
import datetime
import json
import math
import os
import random
import sys

WEEK = datetime.timedelta(days=7)
GAP = datetime.timedelta(hours=2)
SIGMAS = 4.0
MIN_HISTORY = 3


def read_series(path: str) -> list[tuple[str, float]]:
    with open(path, newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [(row[0], float(row[1])) for row in reader if row]


def seasonal_alerts(rows: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """(timestamp, z) of each alert of the seasonal baseline."""
    history: dict[int, collections.deque] = collections.defaultdict(collections.deque)
    last_alert: datetime.datetime | None = None
    alerts = []
    for stamp, value in rows:
        when = datetime.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S")
        past = history[when.hour * 3600 + when.minute * 60 + when.second]
        while past and past[0][0] < when - WEEK:
            past.popleft()
        if len(past) >= MIN_HISTORY:
            values = [v for _, v in past]
            mean = sum(values) / len(values)
            sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
            if value > mean + SIGMAS * sd and (last_alert is None or when - last_alert >= GAP):
                last_alert = when
                alerts.append((stamp, (value - mean) / sd if sd > 0 else float("inf")))
        past.append((when, value))
    return alerts


def write_alerts(path: str, alerts: list[tuple[str, float]]) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        for stamp, z in alerts:
            handle.write(f"{stamp}\t{z:.3f}\n" if math.isfinite(z) else f"{stamp}\n")


def all_alerts(data_dir: str, out_dir: str) -> None:
    with open(os.path.join(data_dir, "labels", "combined_windows.json")) as handle:
        names = sorted(json.load(handle))
    for name in names:
        path = os.path.join(data_dir, name)
        if not os.path.exists(path):
            continue
        stem = name[: -len(".csv")] + ".alerts"
        write_alerts(os.path.join(out_dir, "never", stem), [])
        write_alerts(os.path.join(out_dir, "seasonal", stem), seasonal_alerts(read_series(path)))


def poisson(rng: random.Random, rate: float) -> int:
    """Poisson draw: multiplication method for small rates, rounded normal above 60."""
    if rate > 60:
        return max(0, round(rng.gauss(rate, math.sqrt(rate))))
    limit, k, product = math.exp(-rate), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def synth(path: str, rows: int) -> None:
    """5-minute mention counts: daily and weekly cycles, slow drift, a spike every ~3 days."""
    rng = random.Random(6)
    start = datetime.datetime(2015, 1, 1)
    step = datetime.timedelta(minutes=5)
    spike_left, spike_factor = 0, 1.0
    with open(path, "w") as handle:
        handle.write("timestamp,value\n")
        when = start
        for i in range(rows):
            day = (i % 288) / 288.0
            rate = 8.0 * (1.0 + 0.8 * math.sin(2 * math.pi * (day - 0.3)))
            rate *= 0.6 if when.weekday() >= 5 else 1.0
            rate *= 1.0 + 0.3 * math.sin(2 * math.pi * i / (288 * 91))
            if spike_left == 0 and rng.random() < 1 / 864:
                spike_left, spike_factor = rng.randint(3, 36), rng.uniform(3.0, 10.0)
            if spike_left:
                rate *= spike_factor
                spike_left -= 1
            handle.write(f"{when:%Y-%m-%d %H:%M:%S},{poisson(rng, max(rate, 0.1))}\n")
            when += step


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "alerts":
        all_alerts(argv[1], argv[2])
    elif len(argv) == 2 and argv[0] == "seasonal":
        for stamp, z in seasonal_alerts(read_series(argv[1])):
            print(f"{stamp}\t{z:.3f}" if math.isfinite(z) else stamp)
    elif len(argv) == 3 and argv[0] == "synth":
        synth(argv[1], int(argv[2]))
    else:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
