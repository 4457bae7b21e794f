#!/usr/bin/env python3
"""NAB scoring of binary detections (alert / no alert per row), standard library only.

Written from the published description of the Numenta Anomaly Benchmark (Lavin & Ahmad 2015,
"Evaluating Real-time Anomaly Detection Algorithms - the Numenta Anomaly Benchmark"; Ahmad et al.
2017, Neurocomputing) and NAB's documented rules; no NAB code is used. A detector here gives
alerts, not scores, so NAB's threshold sweep collapses to one point: every alert is a detection.

Rules, per file of n rows (row indices 0..n-1), with windows [L_k, R_k] (row indices of the
window bounds in combined_windows.json, width W_k = R_k - L_k + 1) and a profile (A_TP, A_FP, A_FN):

* Probationary period: the first P = min(floor(0.15 * n), 0.15 * 5000 = 750) rows. That is NAB's
  rule (probation percent 15%, capped at 15% of 5,000 rows). Alerts on those rows are ignored
  entirely (not scored, not counted as alerts); a window that ends inside it is not scored.
* Scaled sigmoid: s(y) = 2 / (1 + exp(5y)) - 1, and s(y) = -1 for y > 3.
* Alert at row i inside window k: only the first alert of the window counts, and it scores
  A_TP * s(y) / s(-1) with y = -(R_k - i + 1) / W_k. The division by s(-1) is NAB's: an alert
  on the window's first row scores exactly A_TP, one on its last row about 0.025 * A_TP. Later
  alerts in the same window score nothing.
* Alert at row i outside every window: with a window k before it (the nearest, R_k < i), it scores
  |A_FP| * s(y) with y = (i - R_k) / (W_k - 1), which is about 0 right after the window and
  -|A_FP| from 3 window widths on; with no window before it, -|A_FP|.
* Each scored window without an alert: A_FN (negative).
* Profiles (A_TP, A_FP, A_FN): standard (1, -0.11, -1), reward_low_FP (1, -0.22, -1),
  reward_low_FN (1, -0.11, -2).
* Normalised score of a set of files: 100 * (raw - null) / (perfect - null), sums over the set,
  null = the detector that never fires (every window missed: windows * A_FN) and perfect = the
  one that fires on the first row of each window only (windows * A_TP). Undefined for a set
  with no window (artificialNoAnomaly): its raw score (0 or less) is shown instead.

Also: window recall = windows with >= 1 alert / windows; alert precision = alerts inside windows
/ alerts after the probationary period; false alerts per 1,000 points = alerts outside windows per
1,000 rows after the probationary period.

Detector output: one file per series, one alert per line, `TIMESTAMP` or `TIMESTAMP<TAB>SCORE`,
the timestamp exactly as in the series' CSV. A timestamp that occurs more than once in a series is
matched in stream order (the next occurrence after the previous alert).

    nab_score.py --self-test
    nab_score.py --data DIR --detector NAME=ALERTS_DIR [--detector ...] [--per-file NAME]
    (ALERTS_DIR/<category>/<series>.alerts for each <category>/<series>.csv of the label file)
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sys
from dataclasses import dataclass, field

PROFILES: dict[str, tuple[float, float, float]] = {
    "standard": (1.0, -0.11, -1.0),
    "reward_low_FP": (1.0, -0.22, -1.0),
    "reward_low_FN": (1.0, -0.11, -2.0),
}
CATEGORIES = ("artificialNoAnomaly", "artificialWithAnomaly", "realKnownCause")


def probationary_length(rows: int) -> int:
    """NAB: min(floor(0.15 * rows), 0.15 * 5000) = min(floor(0.15 * rows), 750)."""
    return int(min(math.floor(0.15 * rows), 750))


def scaled_sigmoid(y: float) -> float:
    """s(y) = 2 / (1 + e^(5y)) - 1, in (-1, 1), and -1 beyond y = 3."""
    if y > 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * y)) - 1.0


MAX_TP = scaled_sigmoid(-1.0)


@dataclass
class Series:
    """One series: its timestamps (as written) and its windows as (left, right) row indices."""

    name: str
    timestamps: list[str]
    windows: list[tuple[int, int]]

    @property
    def rows(self) -> int:
        return len(self.timestamps)


@dataclass
class FileResult:
    name: str
    rows: int
    scored_rows: int
    windows: int
    hit: int = 0
    alerts: int = 0  # after the probationary period
    in_window: int = 0
    false: int = 0
    ignored: int = 0  # alerts in the probationary period
    raw: dict[str, float] = field(default_factory=dict)
    null: dict[str, float] = field(default_factory=dict)
    perfect: dict[str, float] = field(default_factory=dict)


def _norm_time(text: str) -> str:
    """`2014-04-10 07:15:00.000000` -> `2014-04-10 07:15:00` (label files carry microseconds)."""
    text = text.strip()
    if "." in text and text.rsplit(".", 1)[1].strip("0") == "":
        text = text.rsplit(".", 1)[0]
    return text


def load_series(data_dir: str, name: str, windows_json: list[list[str]]) -> Series:
    path = os.path.join(data_dir, name)
    with open(path, newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        if [h.strip() for h in header[:2]] != ["timestamp", "value"]:
            raise SystemExit(f"{path}:1: expected the header timestamp,value, found {header}")
        timestamps = [row[0] for row in reader if row]
    first: dict[str, int] = {}
    for index, stamp in enumerate(timestamps):
        first.setdefault(_norm_time(stamp), index)
    windows = []
    for left, right in windows_json:
        try:
            windows.append((first[_norm_time(left)], first[_norm_time(right)]))
        except KeyError as missing:
            raise SystemExit(f"{path}: window bound {missing} is not a row of the series")
    windows.sort()
    return Series(name, timestamps, windows)


def parse_alerts(series: Series, lines: list[str], source: str) -> list[int]:
    """Row indices of the alert lines (sorted, unique); exits on a line that is not an alert."""
    positions: dict[str, list[int]] = {}
    for index, stamp in enumerate(series.timestamps):
        positions.setdefault(stamp, []).append(index)
    indices: set[int] = set()
    last = -1
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) > 2:
            raise SystemExit(f"{source}:{number}: expected TIMESTAMP or TIMESTAMP<TAB>SCORE, got {line!r}")
        if len(fields) == 2:
            try:
                float(fields[1])
            except ValueError:
                raise SystemExit(f"{source}:{number}: the score {fields[1]!r} is not a number")
        rows = positions.get(fields[0])
        if rows is None:
            raise SystemExit(
                f"{source}:{number}: {fields[0]!r} is not a timestamp of {series.name} "
                "(alerts must repeat the input timestamp exactly)"
            )
        later = [r for r in rows if r > last]
        row = later[0] if later else rows[0]
        indices.add(row)
        last = max(last, row)
    return sorted(indices)


def score_file(series: Series, alerts: list[int]) -> FileResult:
    rows = series.rows
    probation = probationary_length(rows)
    scored_windows = [w for w in series.windows if w[1] >= probation]
    result = FileResult(series.name, rows, rows - probation, len(scored_windows))
    detected: set[int] = set()  # indices into series.windows
    tp_terms: list[float] = []  # s(y) / s(-1) of the first alert in each hit window
    fp_terms: list[float] = []  # s(y) (in [-1, 0]) of each false alert
    for i in sorted(set(alerts)):
        if i < probation:
            result.ignored += 1
            continue
        result.alerts += 1
        inside = next((k for k, (left, right) in enumerate(series.windows) if left <= i <= right), None)
        if inside is not None:
            result.in_window += 1
            if inside not in detected:
                detected.add(inside)
                left, right = series.windows[inside]
                width = right - left + 1
                tp_terms.append(scaled_sigmoid(-(right - i + 1) / width) / MAX_TP)
            continue
        result.false += 1
        before = [w for w in series.windows if w[1] < i]
        if not before:
            fp_terms.append(-1.0)
        else:
            left, right = before[-1]
            width = right - left + 1
            fp_terms.append(scaled_sigmoid((i - right) / (width - 1)) if width > 1 else -1.0)
    result.hit = len(detected)
    missed = result.windows - result.hit
    for profile, (a_tp, a_fp, a_fn) in PROFILES.items():
        result.raw[profile] = a_tp * sum(tp_terms) + abs(a_fp) * sum(fp_terms) + a_fn * missed
        result.null[profile] = a_fn * result.windows
        result.perfect[profile] = a_tp * result.windows
    return result


@dataclass
class Summary:
    files: int = 0
    rows: int = 0
    scored_rows: int = 0
    windows: int = 0
    hit: int = 0
    alerts: int = 0
    in_window: int = 0
    false: int = 0
    raw: dict[str, float] = field(default_factory=lambda: {p: 0.0 for p in PROFILES})
    null: dict[str, float] = field(default_factory=lambda: {p: 0.0 for p in PROFILES})
    perfect: dict[str, float] = field(default_factory=lambda: {p: 0.0 for p in PROFILES})

    def add(self, r: FileResult) -> None:
        self.files += 1
        self.rows += r.rows
        self.scored_rows += r.scored_rows
        self.windows += r.windows
        self.hit += r.hit
        self.alerts += r.alerts
        self.in_window += r.in_window
        self.false += r.false
        for p in PROFILES:
            self.raw[p] += r.raw[p]
            self.null[p] += r.null[p]
            self.perfect[p] += r.perfect[p]

    def normalised(self, profile: str) -> float | None:
        span = self.perfect[profile] - self.null[profile]
        if span == 0:
            return None
        return 100.0 * (self.raw[profile] - self.null[profile]) / span

    @property
    def recall(self) -> float | None:
        return self.hit / self.windows if self.windows else None

    @property
    def precision(self) -> float | None:
        return self.in_window / self.alerts if self.alerts else None

    @property
    def false_per_1000(self) -> float:
        return 1000.0 * self.false / self.scored_rows if self.scored_rows else 0.0


def summarise(results: list[FileResult]) -> dict[str, Summary]:
    """Summaries per category (the folder of each file) and `overall`."""
    sums: dict[str, Summary] = {}
    for r in results:
        sums.setdefault(r.name.split("/")[0], Summary()).add(r)
        sums.setdefault("overall", Summary()).add(r)
    return sums


# ---------------------------------------------------------------------------------------------
# Command line


def load_corpus(data_dir: str) -> list[Series]:
    with open(os.path.join(data_dir, "labels", "combined_windows.json")) as handle:
        windows = json.load(handle)
    names = sorted(n for n in windows if os.path.exists(os.path.join(data_dir, n)))
    return [load_series(data_dir, n, windows[n]) for n in names]


def alerts_path(alerts_dir: str, name: str) -> str:
    return os.path.join(alerts_dir, name[: -len(".csv")] + ".alerts")


def score_detector(corpus: list[Series], alerts_dir: str) -> list[FileResult]:
    results = []
    for series in corpus:
        path = alerts_path(alerts_dir, series.name)
        if not os.path.exists(path):
            raise SystemExit(f"{path}: missing (no alerts file for {series.name})")
        with open(path) as handle:
            alerts = parse_alerts(series, handle.readlines(), path)
        results.append(score_file(series, alerts))
    return results


def _fmt(value: float | None, spec: str, width: int) -> str:
    return ("-" if value is None else format(value, spec)).rjust(width)


def print_tables(detectors: list[tuple[str, list[FileResult]]], per_file: set[str]) -> None:
    name_width = max(len(n) for n, _ in detectors)
    header = (
        f"{'detector':<{name_width}}  {'set':<21} {'standard':>8} {'low_FP':>7} {'low_FN':>7}"
        f" {'raw_std':>8} {'windows':>8} {'recall':>6} {'alerts':>6} {'precision':>9} {'FP/1k':>6}"
    )
    print(header)
    print("-" * len(header))
    order = [c for c in CATEGORIES] + ["overall"]
    for index, (name, results) in enumerate(detectors):
        sums = summarise(results)
        extra = sorted(k for k in sums if k not in order)
        for key in [k for k in order if k in sums] + extra:
            s = sums[key]
            print(
                f"{name:<{name_width}}  {key:<21}"
                f" {_fmt(s.normalised('standard'), '.1f', 8)}"
                f" {_fmt(s.normalised('reward_low_FP'), '.1f', 7)}"
                f" {_fmt(s.normalised('reward_low_FN'), '.1f', 7)}"
                f" {s.raw['standard']:8.2f}"
                f" {f'{s.hit}/{s.windows}':>8}"
                f" {_fmt(s.recall, '.2f', 6)}"
                f" {s.alerts:6d}"
                f" {_fmt(s.precision, '.2f', 9)}"
                f" {s.false_per_1000:6.2f}"
            )
        if index < len(detectors) - 1:
            print()
    for name, results in detectors:
        if name not in per_file:
            continue
        print()
        print(f"per file, {name} (windows hit/total, alerts after probation, false alerts, raw standard score):")
        width = max(len(r.name) for r in results)
        for r in results:
            ignored = f"  ({r.ignored} in probation)" if r.ignored else ""
            print(
                f"  {r.name:<{width}}  windows {r.hit}/{r.windows}  alerts {r.alerts:4d}"
                f"  FP {r.false:4d}  raw {r.raw['standard']:+7.3f}{ignored}"
            )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="NAB scoring of binary detections.")
    parser.add_argument("--self-test", action="store_true", help="check the scorer on hand-made cases")
    parser.add_argument("--data", help="folder with the NAB series and labels/combined_windows.json")
    parser.add_argument(
        "--detector", action="append", default=[], metavar="NAME=DIR",
        help="alerts of one detector: DIR/<category>/<series>.alerts (repeatable)",
    )
    parser.add_argument("--per-file", action="append", default=[], metavar="NAME",
                        help="also print one line per file for this detector")
    parser.add_argument("--json", metavar="FILE", help="also write the summaries as JSON")
    args = parser.parse_args(argv)
    if args.self_test:
        return self_test()
    if not args.data or not args.detector:
        parser.error("--data and at least one --detector are needed (or --self-test)")
    corpus = load_corpus(args.data)
    detectors = []
    for spec in args.detector:
        name, _, directory = spec.partition("=")
        if not directory:
            parser.error(f"--detector {spec!r}: expected NAME=DIR")
        detectors.append((name, score_detector(corpus, directory)))
    print_tables(detectors, set(args.per_file))
    if args.json:
        out = {}
        for name, results in detectors:
            out[name] = {
                key: {
                    "standard": s.normalised("standard"),
                    "reward_low_FP": s.normalised("reward_low_FP"),
                    "reward_low_FN": s.normalised("reward_low_FN"),
                    "raw": s.raw, "windows": s.windows, "windows_hit": s.hit, "recall": s.recall,
                    "alerts": s.alerts, "precision": s.precision, "false_per_1000": s.false_per_1000,
                }
                for key, s in summarise(results).items()
            }
        with open(args.json, "w") as handle:
            json.dump(out, handle, indent=2)
    return 0


# ---------------------------------------------------------------------------------------------
# Self-test: expected values worked out by hand, written as literals (not recomputed through the
# functions under test). Identity used: s(y) = 2/(1+e^(5y)) - 1 = -tanh(5y/2).
#   s(-1)     = tanh(2.5)    = 0.986614
#   s(-0.01)  = tanh(0.025)  = 0.024995  -> last row of a 100-row window: 0.024995/0.986614 = 0.025334
#   s(-0.51)  = tanh(1.275)  = 0.855147  -> row 549 of window [500, 599]:  0.855147/0.986614 = 0.866749
#   s(1/99)   = -tanh(5/198) = -0.025248 -> FP right after a 100-row window, standard: -0.11*0.025248 = -0.002777
#   s(0.5)    = -tanh(1.25)  = -0.848284


def _series(rows: int, windows: list[tuple[int, int]], name: str = "cat/test.csv") -> Series:
    return Series(name, [f"t{i}" for i in range(rows)], windows)


def self_test() -> int:
    checks: list[tuple[str, float | None, float | None]] = []

    def check(label: str, got: float | None, want: float | None) -> None:
        checks.append((label, got, want))

    def norm(results: list[FileResult], profile: str = "standard") -> float | None:
        return summarise(results)["overall"].normalised(profile)

    # Probationary length: 4032 rows -> floor(604.8) = 604; 1882 -> floor(282.3) = 282; 10320 -> 750.
    check("probation(4032) = 604", probationary_length(4032), 604)
    check("probation(1882) = 282", probationary_length(1882), 282)
    check("probation(10320) = 750 (cap)", probationary_length(10320), 750)
    check("s(0) = 0", scaled_sigmoid(0.0), 0.0)
    check("s(-1) = tanh(2.5)", scaled_sigmoid(-1.0), 0.986614)
    check("s(0.5) = -tanh(1.25)", scaled_sigmoid(0.5), -0.848284)
    check("s(3.01) = -1", scaled_sigmoid(3.01), -1.0)

    # 1,000 rows (probation 150), one window [500, 599] (width 100).
    s = _series(1000, [(500, 599)])
    perfect = score_file(s, [500])
    check("perfect: raw standard = 1", perfect.raw["standard"], 1.0)
    for profile in PROFILES:
        check(f"perfect: {profile} = 100", norm([perfect], profile), 100.0)
    null = score_file(s, [])
    for profile in PROFILES:
        check(f"null: {profile} = 0", norm([null], profile), 0.0)
    check("null: raw reward_low_FN = -2", null.raw["reward_low_FN"], -2.0)
    # Two alerts in the window: the second scores nothing.
    check("two alerts in one window = perfect", norm([score_file(s, [500, 550])]), 100.0)
    # Perfect plus one FP at row 200 (no window before it): raw 1 - 0.11.
    fp = score_file(s, [200, 500])
    check("perfect + early FP: standard 100*(0.89+1)/2 = 94.5", norm([fp]), 94.5)
    check("perfect + early FP: low_FP 100*(0.78+1)/2 = 89", norm([fp], "reward_low_FP"), 89.0)
    check("perfect + early FP: low_FN 100*(0.89+2)/3 = 96.3333", norm([fp], "reward_low_FN"), 96.333333)
    # Only one FP far from the window, window missed: raw -1.11 -> 100*(-0.11)/2 = -5.5.
    check("miss + FP: standard = -5.5", norm([score_file(s, [200])]), -5.5)
    check("miss + FP: low_FP = -11", norm([score_file(s, [200])], "reward_low_FP"), -11.0)
    # FP long after the window (y = 400/99 > 3): the full -0.11.
    check("FP far after window: raw = 1 - 0.11", score_file(s, [500, 999]).raw["standard"], 0.89)
    # FP right after the window: -0.11 * tanh(5/198) = -0.002777.
    check("FP just after window: raw = 1 - 0.002777", score_file(s, [500, 600]).raw["standard"], 0.997223)
    # Detection on the window's last row and in its middle.
    check("alert on last row: raw = 0.025334", score_file(s, [599]).raw["standard"], 0.025334)
    check("alert on last row: standard = 51.2667", norm([score_file(s, [599])]), 51.2667)
    check("alert at row 549: raw = 0.866749", score_file(s, [549]).raw["standard"], 0.866749)
    # Alerts in the probationary period are ignored: same as the null detector.
    ignored = score_file(s, [0, 100, 149])
    check("probation alerts ignored: standard = 0", norm([ignored]), 0.0)
    check("probation alerts ignored: alerts = 0", ignored.alerts, 0)
    # Metrics: alerts at 200 (FP), 500 (TP), 550 (in window), 999 (FP) -> recall 1, precision 2/4,
    # false alerts per 1,000 = 2 / 850 * 1000 = 2.352941.
    m = summarise([score_file(s, [200, 500, 550, 999])])["overall"]
    check("recall = 1", m.recall, 1.0)
    check("precision = 0.5", m.precision, 0.5)
    check("FP per 1,000 = 2.352941", m.false_per_1000, 2.352941)
    # A set: a perfect file plus a file with no window and one alert: (1 - 0.11 + 1) / 2 = 94.5.
    quiet = _series(1000, [], "other/quiet.csv")
    both = [perfect, score_file(quiet, [300])]
    check("set: perfect + FP in a no-window file = 94.5", norm(both), 94.5)
    check("no-window file alone: normalised undefined", summarise([score_file(quiet, [300])])["overall"].normalised("standard"), None)
    # Two windows, the first hit at its start, the second missed, FP at row 700 between them:
    # windows [300, 349] and [800, 849] (width 50); y = (700 - 349) / 49 = 7.16 > 3 -> -0.11.
    two = _series(1000, [(300, 349), (800, 849)])
    check("two windows, one hit + FP: raw = 1 - 0.11 - 1", score_file(two, [300, 700]).raw["standard"], -0.11)
    check("two windows, one hit + FP: standard = 100*1.89/4 = 47.25", norm([score_file(two, [300, 700])]), 47.25)
    # Output parsing: timestamp with and without a score, duplicate timestamps matched in order.
    dup = Series("cat/dup.csv", ["a", "b", "b", "c"], [])
    check("parse: duplicate timestamps in order", parse_alerts(dup, ["b\t0.5\n", "b\n", "c\n"], "x"), [1, 2, 3])
    check("parse: label bound with microseconds", _norm_time("2014-04-10 07:15:00.000000") == "2014-04-10 07:15:00", True)

    failed = 0
    for label, got, want in checks:
        if isinstance(want, float) and isinstance(got, (int, float)):
            ok = abs(got - want) <= 5e-5 * max(1.0, abs(want))
        else:
            ok = got == want
        if not ok:
            failed += 1
            print(f"FAIL {label}: got {got!r}, want {want!r}")
    print(f"nab_score self-test: {len(checks) - failed}/{len(checks)} checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
