#!/usr/bin/env python3
"""result - the results.json of one submission, for grade-all.

    result.py fail DIR WHY   writes DIR/report.txt and DIR/results.json of a
                             submission that could not be graded: zero
                             points, and WHY (one line, at most MAX_WHY
                             characters) as the reason
    result.py score FILE     prints the score of results.json FILE: "N / M"
"""
import json
import os
import sys

MAX_WHY = 300


def one_line(text, limit=MAX_WHY):
    """text on one line of printable characters, cut at limit characters."""
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def fail(folder, why):
    text = f"This submission could not be graded: {one_line(why) or 'no reason given'}"
    with open(os.path.join(folder, "report.txt"), "w", encoding="utf-8") as f:
        print(text, file=f)
    with open(os.path.join(folder, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"score": 0, "execution_time": 0, "output": text, "tests": []}, f)
        print(file=f)


def score(path):
    with open(path, encoding="utf-8") as f:
        r = json.load(f)
    print(r["score"], "/", r.get("max_score", "?"))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "fail":
        fail(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "score":
        score(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
