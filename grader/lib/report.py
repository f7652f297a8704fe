#!/usr/bin/env python3
"""report - bats' TAP output as the grade a student reads, and the report files.

The grader's driver (lib/driver.py) imports it: LabResults turns one lab's
TAP results into the lines a student reads and the lab's results as data
(with the Figure 12.5 cell each test checked: LAB_WORK/cells.jsonl, see
observe_cell in lab.bash); matrix_lines draws the figures; write_reports
writes results.json (Gradescope's shape) and junit.xml.

Points are declared in the suite, on a `# points: N` line above each @test;
a `# bats test_tags=hidden` line there too marks a test students do not
see: `grader/grade` runs it only with --hidden, and results.json shows it
only after the grades are published.

From the command line:
    report.py quote < TEXT
        Prints TEXT (a build log, say) as the report shows a failure's
        lines: indented, every character made visible (see visible()).

    report.py check SUITE.bats...
        Checks the suites' shape: points on every test, the valgrind test
        last (and not hidden).

A test bats never reported (the suite crashed or was cut short) is a
failure; a skipped test earns nothing and says why.  A test skipped as
"not graded here: WHY" (lib/lab.bash's graded_here: the lab network's
backend cannot build what it needs) is neither: it is left out of the
score and its maximum, and listed apart with its reason, in results.json
in the top-level output (Gradescope shows it above the tests).
"""
import json
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

SHOWN_LINES = 12  # lines of a failure's reason shown on the terminal

TEST_LINE = re.compile(r'^\s*@test\s+"((?:[^"\\]|\\.)*)"\s*\{')
POINTS_LINE = re.compile(r"^\s*#\s*points:\s*(\d+)\s*$")
HIDDEN_LINE = re.compile(r"^\s*#\s*bats\s+test_tags=.*\bhidden\b")
TAP_RESULT = re.compile(r"^(ok|not ok) (\d+) (.*?)(?: # (skip)\b ?(.*))?$")
NOT_GRADED = "not graded here: "
# bats' own lines about where a failure happened: noise to a student.
BATS_LOCATION = re.compile(r"^\s*(\(from function |\(?in test file |from function |`.*' failed$)")


def visible(text):
    """Text a student's program wrote, safe to show anywhere and readable:
    tabs, carriage returns, NULs and every other control or formatting
    character (terminal escapes, bidirectional overrides) written as
    escapes, and trailing spaces as ␠, so that what is invisible on a
    terminal shows, and nothing can move the cursor or fake a line."""
    named = {"\t": "\\t", "\r": "\\r", "\0": "\\0"}
    shown = []
    for char in text:
        if char in named:
            shown.append(named[char])
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            shown.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        else:
            shown.append(char)
    line = "".join(shown)
    stripped = line.rstrip(" ")
    return stripped + "␠" * (len(line) - len(stripped))


def text_lines(stream):
    """The lines of a byte stream, decoded whatever they hold (bytes that
    are not UTF-8 become U+FFFD), without their line ends."""
    for raw in stream:
        yield raw.decode("utf-8", errors="replace").rstrip("\n")


def paint(text, code, color):
    return f"\033[{code}m{text}\033[0m" if color else text


def declared_tests(suite):
    """[(name, points, hidden)] in file order; a test without points is an error."""
    tests, points, hidden = [], None, False
    with open(suite, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            m = POINTS_LINE.match(line)
            if m:
                points = int(m.group(1))
                continue
            if HIDDEN_LINE.match(line):
                hidden = True
                continue
            m = TEST_LINE.match(line)
            if m:
                if points is None:
                    sys.exit(f"report: {suite}:{number}: @test without a '# points: N' line")
                tests.append((m.group(1).replace('\\"', '"'), points, hidden))
                points, hidden = None, False
    return tests


def read_tap(stream, on_result):
    """Calls on_result(name, status, reason, output_lines) per TAP result."""
    current = None
    for line in text_lines(stream):
        m = TAP_RESULT.match(line)
        if m:
            if current:
                on_result(*current)
            verdict, _, name, skip, reason = m.groups()
            status = "skipped" if skip else ("passed" if verdict == "ok" else "failed")
            if skip and (reason or "").startswith(NOT_GRADED):
                status = "not graded"
            current = (name, status, visible(reason or ""), [])
        elif line.startswith("#") and current:
            text = line[2:] if line.startswith("# ") else line[1:]
            if not BATS_LOCATION.match(text):
                current[3].append(visible(text))
    if current:
        on_result(*current)


def cells(lab_work):
    """{test name: the figure's cell it checked}, from lab.bash's
    observe_cell(): figure, proto, row, column, their indexes, what the
    book expects and what the grader observed."""
    found = {}
    path = os.path.join(lab_work, "cells.jsonl")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                cell = json.loads(line)
                cell["row_index"], cell["column_index"] = int(cell["row_index"]), int(cell["column_index"])
                found[cell.pop("test")] = cell
    return found


class LabResults:
    """The results of one lab as bats reports them: declared(), then
    result() for each TAP result (it returns the lines a student reads),
    then finish() for the tests bats never reported and the subtotal."""

    def __init__(self, suite, lab, lab_work, only="", with_hidden=False, color=False):
        pattern = re.compile(only)
        self.lab, self.lab_work, self.color = lab, lab_work, color
        self.declared = [(name, points, hidden) for name, points, hidden in declared_tests(suite)
                         if pattern.search(name) and (with_hidden or not hidden)]
        self.points = {name: p for name, p, _ in self.declared}
        self.results = {}

    def result(self, name, status, reason, output):
        worth = self.points.get(name, 0)
        possible = 0 if status == "not graded" else worth
        earned = possible if status == "passed" else 0
        if status == "skipped":
            output = [f"skipped: {reason or 'no reason given'}"] + output
        if status == "not graded":
            output = [reason]
        self.results[name] = {"name": name, "status": status, "score": earned,
                              "max_score": possible, "worth": worth, "output": "\n".join(output)}
        if status == "not graded":
            return [f"  {paint('  --', '33', self.color)}  -/{worth:<2} {name}", f"         | {reason}"]
        mark = {"passed": paint("  ok", "32", self.color), "failed": paint("FAIL", "31", self.color),
                "skipped": paint("SKIP", "33", self.color)}[status]
        lines = [f"  {mark} {earned:>2}/{possible:<2} {name}"]
        if status != "passed":
            lines += [f"         | {text}" for text in output[:SHOWN_LINES]]
            if len(output) > SHOWN_LINES:
                lines.append(f"         | ... ({len(output) - SHOWN_LINES} more lines in report files)")
        return lines

    def finish(self):
        """(lines, tests): a failure for every declared test bats did not
        report, the subtotal line; the lab's tests, each with its cell."""
        lines, tests = [], []
        checked = cells(self.lab_work)
        for name, _, hidden in self.declared:
            if name not in self.results:
                lines += self.result(name, "failed", "", ["not run: the suite stopped before this test"])
            test = dict(self.results[name], lab=self.lab, hidden=hidden)
            if name in checked:
                test["cell"] = checked[name]
            tests.append(test)
        earned = sum(t["score"] for t in tests)
        total = sum(t["max_score"] for t in tests)
        left_out = [t for t in tests if t["status"] == "not graded"]
        lines.append(f"  {self.lab}: {earned}/{total}" + (
            f" ({len(left_out)} tests, {sum(t['worth'] for t in left_out)} points, not graded here)"
            if left_out else ""))
        return lines, tests


def figures(tests):
    """{(figure, proto): {"rows": [...], "columns": [...], "cells": {(row, column):
    [tests]}}}: the figures the tests' cells make up, rows and columns in
    the order the suite gave them."""
    found = {}
    for t in tests:
        cell = t.get("cell")
        if not cell:
            continue
        fig = found.setdefault((cell["figure"], cell["proto"]), {"rows": {}, "columns": {}, "cells": {}})
        fig["rows"][cell["row"]] = cell["row_index"]
        fig["columns"][cell["column"]] = cell["column_index"]
        fig["cells"].setdefault((cell["row"], cell["column"]), []).append(t)
    for fig in found.values():
        fig["rows"] = sorted(fig["rows"], key=fig["rows"].get)
        fig["columns"] = sorted(fig["columns"], key=fig["columns"].get)
    return found


def matrix_lines(tests, color=False):
    """Each figure as the book lays it out, every cell as observed."""
    lines = []
    for (figure, proto), fig in figures(tests).items():
        # A view of a figure (its name says "with ...") is not the book's.
        said = "the view expects" if " with " in figure else "the book says"
        lines += ["", f"Figure {figure} as observed, {proto} (+ as {said}, X not as {said})"]
        rows, cols = fig["rows"], fig["columns"]
        width = max(len(r) for r in rows)
        marks = {}
        for key, [t] in fig["cells"].items():
            marks[key] = (f'{t["cell"]["observed"]} ' + ("+" if t["status"] == "passed" else "X"),
                          t["status"] == "passed")
        wide = {c: max([len(c)] + [len(marks[r, c][0]) for r in rows if (r, c) in marks]) + 2
                for c in cols}
        lines.append((" " * width + " |" + "|".join(f"{c:^{wide[c]}}" for c in cols)).rstrip())
        for row in rows:
            shown = []
            for col in cols:
                text, passed = marks.get((row, col), ("", True))
                shown.append(paint(f"{text:^{wide[col]}}", "32" if passed else "31", color))
            lines.append(f"{row:<{width}} |" + "|".join(shown).rstrip())
    return lines


def not_graded(tests):
    """The tests left out of the score, a line each with its reason, under
    a heading that says how many and what they were worth; or []."""
    left_out = [t for t in tests if t["status"] == "not graded"]
    if not left_out:
        return []
    lines = [f"Not graded here: {len(left_out)} tests, {sum(t['worth'] for t in left_out)} points, "
             "left out of the score and of its maximum:"]
    for t in left_out:
        lines.append(f'  {t["lab"]}: {t["name"]} ({t["output"][len(NOT_GRADED):]})')
    return lines


def write_reports(out, tests, elapsed):
    """OUT/results.json (Gradescope's shape; a test's cell goes in its
    extra_data; the tests not graded here in its top-level output, not
    among the tests) and OUT/junit.xml."""
    graded = [t for t in tests if t["status"] != "not graded"]
    left_out = not_graded(tests)
    gradescope = {
        "score": sum(t["score"] for t in graded),
        "max_score": sum(t["max_score"] for t in graded),
        "execution_time": elapsed,
        **({"output": "\n".join(left_out) + "\n"} if left_out else {}),
        "tests": [{"name": f'{t["lab"]}: {t["name"]}', "score": t["score"],
                   "max_score": t["max_score"],
                   "status": "passed" if t["status"] == "passed" else "failed",
                   "output": t["output"],
                   "visibility": "after_published" if t["hidden"] else "visible",
                   **({"extra_data": {"cell": t["cell"]}} if "cell" in t else {})}
                  for t in graded],
    }
    write_atomically(os.path.join(out, "results.json"),
                     json.dumps(gradescope, indent=1) + "\n")
    write_atomically(os.path.join(out, "junit.xml"), junit(tests, elapsed))


def junit(tests, elapsed):
    root = ET.Element("testsuites", name="grade", tests=str(len(tests)),
                      failures=str(sum(t["status"] == "failed" for t in tests)),
                      skipped=str(sum(t["status"] in ("skipped", "not graded") for t in tests)),
                      time=str(elapsed))
    for lab in dict.fromkeys(t["lab"] for t in tests):
        mine = [t for t in tests if t["lab"] == lab]
        suite = ET.SubElement(root, "testsuite", name=lab, tests=str(len(mine)),
                              failures=str(sum(t["status"] == "failed" for t in mine)),
                              skipped=str(sum(t["status"] in ("skipped", "not graded") for t in mine)))
        for t in mine:
            case = ET.SubElement(suite, "testcase", classname=lab, name=t["name"])
            ET.SubElement(case, "properties")
            ET.SubElement(case.find("properties"), "property", name="points",
                          value=f'{t["score"]}/{t["max_score"]}')
            if t["status"] == "failed":
                ET.SubElement(case, "failure", message="failed").text = t["output"]
            elif t["status"] in ("skipped", "not graded"):
                ET.SubElement(case, "skipped", message=t["output"].splitlines()[0])
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_atomically(path, text):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def check(suites):
    for suite in suites:
        tests = declared_tests(suite)
        if not tests or "clean under valgrind" not in tests[-1][0] or tests[-1][2]:
            sys.exit(f"report: {suite}: the last test must be the valgrind test")
    return 0


def quoted(lines):
    """Lines (a build log, say) as the report shows a failure's lines."""
    return [f"         | {visible(line)}" for line in lines]


def quote(stream):
    for line in quoted(text_lines(stream)):
        print(line)
    return 0


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "quote":
        sys.exit(quote(sys.stdin.buffer))
    if len(sys.argv) >= 3 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2:]))
    sys.exit(__doc__)


if __name__ == "__main__":
    main()
