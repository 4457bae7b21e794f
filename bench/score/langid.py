#!/usr/bin/env python3
"""Helper of bench/score/langid.sh: prepares the texts, runs lingua, prints the report.

  langid.py prepare DATA_DIR WORK_DIR MIN_TEXTS  texts.txt (repeated dev texts) + labels.txt
  langid.py lingua TEXTS OUT                     lingua restricted to es/it/en; prints loop seconds
  langid.py report WORK_DIR                      accuracy and speed of vigia lang and lingua

The dev sets are read in place (never copied into the repository); the texts and labels
written to WORK_DIR (bench/.work, ignored by git) are scratch files.
"""
import os
import sys
import time

LANGUAGES = ("en", "es", "it")


def prepare(data_dir, work_dir, min_texts):
    texts, labels = [], []
    for lang in LANGUAGES:
        path = os.path.join(data_dir, f"{lang}-dev.tsv")
        with open(path, encoding="utf-8") as handle:
            next(handle)  # header
            for line in handle:
                line = line.rstrip("\n").rstrip("\r")
                if not line:
                    continue
                text = line.split("\t")[-1].replace("\r", " ")
                texts.append(text)
                labels.append(lang)
    repeats = max(1, -(-int(min_texts) // len(texts)))
    os.makedirs(work_dir, exist_ok=True)
    with open(os.path.join(work_dir, "texts.txt"), "w", encoding="utf-8") as out:
        for _ in range(repeats):
            for text in texts:
                out.write(text + "\n")
    with open(os.path.join(work_dir, "labels.txt"), "w", encoding="utf-8") as out:
        for _ in range(repeats):
            for label in labels:
                out.write(label + "\n")
    print(f"{len(texts)} dev texts, repeated {repeats}x = {len(texts) * repeats} texts")


def run_lingua(texts_path, out_path):
    from lingua import Language, LanguageDetectorBuilder
    detector = (LanguageDetectorBuilder
                .from_languages(Language.ENGLISH, Language.SPANISH, Language.ITALIAN)
                .with_preloaded_language_models()
                .build())
    codes = {Language.ENGLISH: "en", Language.SPANISH: "es", Language.ITALIAN: "it"}
    with open(texts_path, encoding="utf-8") as handle:
        texts = handle.read().split("\n")[:-1]
    detector.detect_language_of("warm up")
    start = time.perf_counter()
    results = [detector.detect_language_of(text) for text in texts]
    seconds = time.perf_counter() - start
    with open(out_path, "w", encoding="utf-8") as out:
        for result in results:
            out.write(codes.get(result, "und") + "\n")
    print(f"loop_seconds={seconds}", file=sys.stderr)


def read_lines(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read().split("\n")[:-1]


def loop_seconds(path):
    for line in read_lines(path):
        if line.startswith("loop_seconds="):
            return float(line.split("=", 1)[1])
    raise SystemExit(f"{path}: no loop_seconds= line")


def report(work_dir):
    texts = read_lines(os.path.join(work_dir, "texts.txt"))
    labels = read_lines(os.path.join(work_dir, "labels.txt"))
    rows = []
    medians = {}
    for tool in ("vigia", "lingua"):
        predictions = read_lines(os.path.join(work_dir, f"{tool}.out"))
        if len(predictions) != len(texts):
            raise SystemExit(f"{tool}: {len(predictions)} output lines for {len(texts)} texts")
        runs = sorted(loop_seconds(os.path.join(work_dir, name))
                      for name in os.listdir(work_dir) if name.startswith(f"{tool}.err"))
        if not runs:
            raise SystemExit(f"{tool}: no {tool}.err* file in {work_dir}")
        seconds = runs[0]
        medians[tool] = (len(texts) / runs[len(runs) // 2], len(runs))
        correct = sum(p == l for p, l in zip(predictions, labels))
        short = [(p, l) for p, l, t in zip(predictions, labels, texts) if len(t) < 30]
        short_correct = sum(p == l for p, l in short)
        per_lang = {}
        for lang in LANGUAGES:
            pairs = [(p, l) for p, l in zip(predictions, labels) if l == lang]
            per_lang[lang] = sum(p == l for p, l in pairs) / len(pairs)
        und = sum(p == "und" for p in predictions) / len(predictions)
        rows.append((tool, correct / len(texts), short_correct / max(1, len(short)), len(short),
                     per_lang, und, len(texts) / seconds, seconds))
    print(f"texts: {len(texts)} (dev texts labelled by their file's language; "
          f"'und' counts as wrong)")
    print(f"{'tool':<8} {'accuracy':>9} {'<30 chars':>10} {'en':>7} {'es':>7} {'it':>7} "
          f"{'und':>6} {'texts/s':>11} {'loop s':>8}")
    for tool, accuracy, short_accuracy, _, per_lang, und, speed, seconds in rows:
        print(f"{tool:<8} {accuracy:>9.2%} {short_accuracy:>10.2%} {per_lang['en']:>7.2%} "
              f"{per_lang['es']:>7.2%} {per_lang['it']:>7.2%} {und:>6.2%} {speed:>11,.0f} "
              f"{seconds:>8.3f}")
    print(f"texts under 30 characters: {rows[0][3]}")
    for tool, (speed, count) in medians.items():
        if count > 1:
            print(f"{tool}: fastest of {count} runs shown; median {speed:,.0f} texts/s")
    print(f"speed ratio vigia/lingua: {rows[0][6] / rows[1][6]:.0f}x")


def main(argv):
    if len(argv) >= 2 and argv[1] == "prepare" and len(argv) == 5:
        prepare(argv[2], argv[3], argv[4])
    elif len(argv) == 4 and argv[1] == "lingua":
        run_lingua(argv[2], argv[3])
    elif len(argv) == 3 and argv[1] == "report":
        report(argv[2])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
