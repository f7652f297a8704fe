#!/usr/bin/env python3
"""results - the grade of one run, as Gradescope reads it.

    results.py OUT/results.json yes|no > /autograder/results/results.json

(yes or no: whether this machine's loopback has IPv6, ::1)

grader/grade already writes Gradescope's format (score, tests with name,
score, max_score, status, output, visibility); this puts first in its
top-level output where the grade was made: on one dual-stack machine (the
local backend), with IPv6 on its loopback or without.  The output then
lists the tests not graded there (grader/lib/report.py).  A results.json
that is missing or unreadable (the grader could not run) becomes a grade
of 0 saying why.
"""
import json
import sys

WHERE = ("Graded on Gradescope: on one dual-stack machine, over its loopback ({ipv6}). "
         "Labs 01 and 04 are graded in full; of the network labs, the cells of "
         "Figure 12.5 without an IPv4-only or IPv6-only host (TCP and UDP, the "
         "V6ONLY column too). The rest is not graded here and counts for nothing, "
         "in the score or in its maximum.\n\n")


def gradescope_results(path, ipv6):
    where = WHERE.format(ipv6="IPv6 on loopback" if ipv6 else
                         "no IPv6 on loopback: what needs it is not graded")
    try:
        with open(path, encoding="utf-8") as f:
            graded = json.load(f)
    except (OSError, ValueError) as error:
        graded = {"error": f"{path}: {error}"}
    if not isinstance(graded.get("tests"), list):
        return {"score": 0, "tests": [],
                "output": where + f"No grade: the grader could not run ({graded.get('error', path)})."}
    graded["output"] = where + graded.get("output", "")
    return graded


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ("yes", "no"):
        sys.exit(__doc__)
    print(json.dumps(gradescope_results(sys.argv[1], sys.argv[2] == "yes"), indent=1))


if __name__ == "__main__":
    main()
