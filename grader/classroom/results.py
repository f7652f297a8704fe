#!/usr/bin/env python3
"""results - the grade of one run, as GitHub Classroom's grading reporter
reads it.

    results.py OUT/results.json

Prints, base64-encoded on one line, the JSON the reporter
(classroom-resources/autograding-grading-reporter) expects of a runner in
its environment variable <RUNNER>_RESULTS:

    {"version": 1, "status": "pass" | "fail" | "error", "max_score": M,
     "tests": [{"name", "status", "score", "message", "test_code",
                "duration"}, ...]}

Each test of results.json (Gradescope's format, written by grader/grade)
becomes one test with the points it earned, so Classroom gets partial
credit per test; the total is the grader's Score.  A results.json that is
missing or unreadable (the grader could not run) is one test in error,
worth nothing.
"""
import base64
import json
import sys

MESSAGE_CHARS = 2000  # of a failed test's output, in the reporter's message


def reporter_results(path):
    try:
        with open(path, encoding="utf-8") as f:
            graded = json.load(f)
        tests = graded["tests"]
    except (OSError, ValueError, KeyError) as error:
        return {"version": 1, "status": "error", "max_score": 0,
                "tests": [{"name": "the grader ran", "status": "error", "score": 0,
                           "message": f"no grade: {path}: {error}", "test_code": "make grade",
                           "duration": 0}]}
    mine = [{"name": t["name"],
             "status": "pass" if t["status"] == "passed" else "fail",
             "score": t["score"],
             "message": "" if t["status"] == "passed" else t["output"][:MESSAGE_CHARS],
             "test_code": "make grade",
             "duration": 0}
            for t in tests]
    everything = all(t["status"] == "pass" for t in mine) and graded["score"] == graded["max_score"]
    return {"version": 1, "status": "pass" if everything else "fail",
            "max_score": graded["max_score"], "tests": mine}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    text = json.dumps(reporter_results(sys.argv[1]), ensure_ascii=True)
    print(base64.b64encode(text.encode("ascii")).decode("ascii"))


if __name__ == "__main__":
    main()
