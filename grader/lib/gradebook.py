#!/usr/bin/env python3
"""gradebook - the class at a glance, from every OUT/ID/results.json.

    gradebook.py OUT

Writes OUT/gradebook.csv (id, one column per lab, total, max, note) and
OUT/index.html: the score distribution, the pass rate of every test, and
Figure 12.5 with each cell's pass rate across the class.

OUT/.rejected.json (written by entries.py) lists the entries grade-all did
not grade because of their names; each gets a row under its entry name,
with no score and the reason as its note.  An earlier result of an id that
is now rejected (say, two entries for it) is not counted.

No cell of the CSV is a spreadsheet formula: a text cell that starts with
"=", "+", "-", "@", a tab or a carriage return gets a leading apostrophe
("'=1+2"), which spreadsheets show as text.  Notes are one line of at
most MAX_NOTE characters.
"""
import csv
import html
import io
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import entries  # noqa: E402  (what a student id is)
import report  # noqa: E402  (figures, write_atomically)

MAX_NOTE = 300
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def load(out, rejected):
    """[(id, results)] for every graded submission, sorted by id, leaving
    out the ids of the rejected entries."""
    not_counted = {r["id"] for r in rejected}
    students = []
    for name in sorted(os.listdir(out)):
        path = os.path.join(out, name, "results.json")
        if (entries.id_problem(name) is None and name not in not_counted
                and os.path.isfile(path)):
            with open(path, encoding="utf-8") as f:
                students.append((name, json.load(f)))
    return students


def inert(cell):
    """cell, made unable to act as a spreadsheet formula."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def note_of(r):
    """The note of a result: why it was not graded, on one short line."""
    note = "" if r["tests"] else r.get("output", "not graded")
    note = " ".join("".join(c if c.isprintable() else " " for c in note).split())
    return note if len(note) <= MAX_NOTE else note[: MAX_NOTE - 3] + "..."


def lab_of(test):
    return test["name"].split(": ", 1)[0]


def write_csv(out, students, rejected, labs):
    buf = io.StringIO()
    rows = csv.writer(buf, lineterminator="\n")
    rows.writerow(["id"] + labs + ["total", "max", "note"])
    for sid, r in students:
        per_lab = {lab: 0 for lab in labs}
        for t in r["tests"]:
            per_lab[lab_of(t)] += t["score"]
        rows.writerow([inert(c) for c in [sid] + [per_lab[lab] for lab in labs]
                       + [r["score"], r.get("max_score", ""), note_of(r)]])
    for r in rejected:
        rows.writerow([inert(r["entry"])] + [""] * (len(labs) + 2)
                      + [inert(note_of({"tests": [], "output": r["reason"]}))])
    report.write_atomically(os.path.join(out, "gradebook.csv"), buf.getvalue())


def pass_rates(students):
    """{test name: (passed, graded)} in the order tests first appear."""
    rates = {}
    for _, r in students:
        for t in r["tests"]:
            passed, graded = rates.get(t["name"], (0, 0))
            rates[t["name"]] = (passed + (t["status"] == "passed"), graded + 1)
    return rates


def bar(fraction, label):
    pct = round(100 * fraction)
    hue = 120 * fraction
    return (f'<div class="bar"><div style="width:{pct}%;background:hsl({hue:.0f},60%,45%)">'
            f'</div><span>{html.escape(label)}</span></div>')


def distribution(students):
    bins = [0] * 10
    for _, r in students:
        most = r.get("max_score") or 1
        bins[min(9, int(10 * r["score"] / most))] += 1
    top = max(bins) or 1
    cols = "".join(
        f'<div class="col"><div class="n">{n}</div><div class="stick" style="height:{120 * n / top:.0f}px">'
        f'</div><div class="lbl">{10 * i}{"–100" if i == 9 else f"–{10 * i + 9}"}%</div></div>'
        for i, n in enumerate(bins))
    return f'<div class="hist">{cols}</div>'


def matrix(students):
    """Each figure of the labs (Figure 12.5), every cell with the share of the
    class that got it right."""
    tests = []
    for _, r in students:
        tests += [dict(t, cell=t["extra_data"]["cell"]) for t in r["tests"]
                  if "cell" in t.get("extra_data", {})]
    parts = []
    for (figure, proto), fig in report.figures(tests).items():
        head = "".join(f"<th>{html.escape(c)}</th>" for c in fig["columns"])
        body = ""
        for row in fig["rows"]:
            tds = ""
            for col in fig["columns"]:
                graded = fig["cells"].get((row, col), [])
                rate = sum(t["status"] == "passed" for t in graded) / len(graded) if graded else None
                tds += ("<td></td>" if rate is None else
                        f'<td style="background:hsl({120 * rate:.0f},60%,85%)">{round(100 * rate)}%</td>')
            body += f"<tr><th>{html.escape(row)}</th>{tds}</tr>"
        parts.append(f"<h3>Figure {html.escape(figure)}, {proto}</h3>"
                     f"<table class=\"fig\"><tr><th></th>{head}</tr>{body}</table>")
    if not parts:
        return "<p>The interop lab was not graded.</p>"
    return ("<p>Share of the class whose programs behaved as the book's Figure 12.5 says, "
            "cell by cell.</p>" + "".join(parts))


def write_html(out, students, rejected, labs, rates):
    scores = [r["score"] for _, r in students]
    most = max((r.get("max_score") or 0 for _, r in students), default=0)
    full = sum(1 for _, r in students if most and r["score"] == most)
    summary = (f"{len(students)} submissions; median {statistics.median(scores):g} / {most}, "
               f"mean {statistics.mean(scores):.1f}; {full} with full marks"
               if scores else "no submissions")
    tests, lab = "", None
    for name, (p, g) in rates.items():
        this_lab, _, test = name.partition(": ")
        if this_lab != lab:
            lab = this_lab
            tests += f'<tr><th colspan="2">{html.escape(lab)}</th></tr>'
        tests += f"<tr><td>{html.escape(test)}</td><td>{bar(p / g, f'{p}/{g}')}</td></tr>"
    people = "".join(
        f'<tr><td><a href="{html.escape(sid)}/report.txt">{html.escape(sid)}</a></td>'
        f'<td>{r["score"]} / {r.get("max_score", "?")}</td>'
        f'<td>{html.escape(note_of(r))}</td></tr>'
        for sid, r in students)
    people += "".join(
        f'<tr><td>{html.escape(r["entry"])}</td><td></td><td>{html.escape(r["reason"])}</td></tr>'
        for r in rejected)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Class grades: IPv4/IPv6 interoperability labs</title>
<style>
body {{ font: 15px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }}
h1 {{ font-size: 1.6em; }} h2 {{ margin-top: 2em; border-bottom: 1px solid #ccc; }}
table {{ border-collapse: collapse; }} td, th {{ padding: .25em .6em; text-align: left; }}
tr:nth-child(even) td {{ background: #f6f6f6; }}
.fig td, .fig th {{ border: 1px solid #bbb; text-align: center; min-width: 6em; }}
.bar {{ position: relative; width: 16em; height: 1.2em; background: #eee; }}
.bar div {{ height: 100%; }} .bar span {{ position: absolute; left: .4em; top: 0; font-size: .85em; }}
.hist {{ display: flex; align-items: flex-end; gap: .4em; height: 170px; }}
.col {{ text-align: center; width: 4.5em; }} .stick {{ background: #4a7fb5; }}
.lbl, .n {{ font-size: .8em; }}
</style></head><body>
<h1>Class grades</h1>
<p>{html.escape(summary)}. Labs: {html.escape(", ".join(labs))}. The gradebook is
<a href="gradebook.csv">gradebook.csv</a>.</p>
<h2>Score distribution</h2>{distribution(students)}
<h2>Figure 12.5 across the class</h2>{matrix(students)}
<h2>Pass rate per test</h2>
<p>Of the submissions that were graded, how many passed each test.</p><table>{tests}</table>
<h2>Submissions</h2><table><tr><th>id</th><th>score</th><th>note</th></tr>{people}</table>
</body></html>
"""
    report.write_atomically(os.path.join(out, "index.html"), page)


def write(out):
    """OUT/gradebook.csv and OUT/index.html, from every OUT/ID/results.json."""
    try:
        with open(os.path.join(out, ".rejected.json"), encoding="utf-8") as f:
            rejected = [r for folder in json.load(f).values() for r in folder]
    except FileNotFoundError:
        rejected = []
    students = load(out, rejected)
    labs = list(dict.fromkeys(lab_of(t) for _, r in students for t in r["tests"]))
    write_csv(out, students, rejected, labs)
    write_html(out, students, rejected, labs, pass_rates(students))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    write(sys.argv[1])


if __name__ == "__main__":
    main()
