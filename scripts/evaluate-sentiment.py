#!/usr/bin/env python3
"""Evaluate `vigia score` on the sentiment development sets.

For each language whose dev file exists (../shared/data/sentiment/{en,es,it}-dev.tsv relative to
the repository root, or --data DIR), pipes the texts through `vigia score` and prints accuracy,
3-class macro-F1 (pos/neg/neu) and pos/neg macro-F1 (computed on the items whose gold label is pos
or neg; a polar item predicted neu counts as a miss), plus the texts/s of the scoring loop.
Languages whose file is absent are skipped. The data is read, never copied.

Usage: scripts/evaluate-sentiment.py [--binary PATH] [--data DIR] [--lang auto|fixed] [--confusion]
"""
import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LABELS = ("pos", "neg", "neu")


def read_dev(path):
    with open(path, encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        label_column = header.index("label")
        items = []
        for line in handle:
            columns = line.rstrip("\n").split("\t")
            if len(columns) < len(header):
                continue
            items.append((columns[label_column], columns[-1]))
    return items


def f1(gold, predicted, label):
    tp = sum(1 for g, p in zip(gold, predicted) if g == label and p == label)
    fp = sum(1 for g, p in zip(gold, predicted) if g != label and p == label)
    fn = sum(1 for g, p in zip(gold, predicted) if g == label and p != label)
    if tp == 0:
        return 0.0
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return 2 * precision * recall / (precision + recall)


def metrics(gold, predicted):
    accuracy = sum(1 for g, p in zip(gold, predicted) if g == p) / len(gold)
    macro3 = sum(f1(gold, predicted, label) for label in LABELS) / 3
    polar = [(g, p) for g, p in zip(gold, predicted) if g != "neu"]
    polar_gold = [g for g, _ in polar]
    polar_predicted = [p for _, p in polar]
    macro2 = (f1(polar_gold, polar_predicted, "pos") + f1(polar_gold, polar_predicted, "neg")) / 2
    return accuracy, macro3, macro2


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=None, help="vigia binary (default: build release and use it)")
    parser.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "sentiment"))
    parser.add_argument("--lang", choices=("auto", "fixed"), default="auto",
                        help="auto: let vigia identify each text (default); fixed: pass --lang <set language>")
    parser.add_argument("--confusion", action="store_true", help="print confusion matrices")
    arguments = parser.parse_args()

    binary = arguments.binary
    if binary is None:
        subprocess.run(["swift", "build", "-c", "release", "--product", "vigia"], cwd=ROOT, check=True,
                       stdout=sys.stderr)
        binary = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout.strip() + "/vigia"

    rows = []
    for language in ("en", "es", "it"):
        path = os.path.join(arguments.data, f"{language}-dev.tsv")
        if not os.path.exists(path):
            print(f"{language}: {path} not found, skipped", file=sys.stderr)
            continue
        items = read_dev(path)
        gold = [label for label, _ in items]
        command = [binary, "score"]
        if arguments.lang == "fixed":
            command += ["--lang", language]
        result = subprocess.run(command, input="\n".join(text for _, text in items) + "\n",
                                capture_output=True, text=True, check=True)
        lines = result.stdout.split("\n")[:-1]
        if len(lines) != len(items):
            sys.exit(f"{language}: expected {len(items)} output lines, got {len(lines)}")
        predicted = [line.split("\t")[0] for line in lines]
        loop = [line for line in result.stderr.splitlines() if line.startswith("loop_seconds=")]
        seconds = float(loop[-1].split("=")[1]) if loop else float("nan")
        accuracy, macro3, macro2 = metrics(gold, predicted)
        rows.append((language, len(items), macro3, macro2, accuracy, len(items) / seconds if seconds else 0))
        if arguments.confusion:
            print(f"\n{language} confusion (rows gold, columns predicted):")
            print("      " + "".join(f"{label:>7}" for label in LABELS))
            for g in LABELS:
                print(f"{g:>6}" + "".join(
                    f"{sum(1 for a, b in zip(gold, predicted) if a == g and b == p):>7}" for p in LABELS))

    print(f"\n{'lang':<5}{'items':>7}{'macro-F1 (3)':>14}{'macro-F1 pos/neg':>18}{'accuracy':>10}{'texts/s':>11}")
    for language, count, macro3, macro2, accuracy, speed in rows:
        print(f"{language:<5}{count:>7}{macro3:>14.3f}{macro2:>18.3f}{accuracy:>10.3f}{speed:>11.0f}")
    print(f"\n(`vigia score` {'--lang <language>' if arguments.lang == 'fixed' else '--lang auto'}, binary {binary})")


if __name__ == "__main__":
    main()
