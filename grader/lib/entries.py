"""entries - the submissions of a class folder, each with its student id
(grade-all's, through lib/driver.py).

An entry of SUBMISSIONS is a folder, ID.tar.gz, ID.tgz or ID.zip (or
anything else, which grade-all grades as "not a submission"); its student
id is its name without the archive extension.  An id is usable when it

  - has 1 to MAX_ID characters: ASCII letters, digits, ".", "_" and "-",
  - does not start with "." or "-",
  - is not the name of a file grade-all writes (gradebook.csv, index.html).

So no id is a hidden name (grade-all keeps its work under OUT/.work), an
option, a path or a spreadsheet formula.

classify() sorts the entries into those to grade, by id, and the rest.
An entry whose id is not usable, and every entry of an id that two or
more entries share (neither is guessed), is not graded: grade-all says
so on stderr, and update() keeps it in REJECTED (OUT/.rejected.json),
where gradebook.py finds it.  REJECTED holds, for each SUBMISSIONS folder graded into OUT, the
entries its latest run rejected ({FOLDER: [{"entry", "id", "reason"}]}):
grading another folder into OUT keeps them, and an id graded now is no
longer rejected anywhere.
"""
import json
import os
import re

MAX_ID = 64
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
RESERVED = {"gradebook.csv", "index.html"}
ARCHIVES = (".tar.gz", ".tgz", ".zip")


def id_of(name):
    """The student id of an entry called name: name without its archive extension."""
    for ext in ARCHIVES:
        if name.endswith(ext):
            return name[: -len(ext)]
    return name


def id_problem(sid):
    """Why sid cannot be a student id, or None when it can."""
    if not sid:
        return "the name is empty once the archive extension is taken off"
    if len(sid) > MAX_ID:
        return f"the id has {len(sid)} characters, more than {MAX_ID}"
    if sid in RESERVED:
        return f"{sid} is the name of a file grade-all writes"
    if not ID.fullmatch(sid):
        return ("an id has only letters, digits, '.', '_' and '-', "
                "and starts with a letter or a digit")
    return None


def shown(name, limit=80):
    """name as one short printable line: escaped, and cut at limit characters."""
    text = name.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def classify(names):
    """([(id, name)] to grade, [(name, reason)] not to grade) for these entry names."""
    by_id, rejected = {}, []
    for name in sorted(names):
        problem = id_problem(id_of(name))
        if problem:
            rejected.append((name, f"not graded: {problem}"))
        else:
            by_id.setdefault(id_of(name), []).append(name)
    graded = []
    for sid, group in sorted(by_id.items()):
        if len(group) == 1:
            graded.append((sid, group[0]))
            continue
        others = ", ".join(shown(n) for n in group)
        for name in group:
            rejected.append((name, f"not graded: {len(group)} entries ({others}) "
                                   f"are for the id {sid}; keep only one"))
    return graded, rejected


def update(record, folder, graded, rejected):
    """Puts this run's rejected entries of folder into the file record."""
    try:
        with open(record, encoding="utf-8") as f:
            kept = json.load(f)
    except FileNotFoundError:
        kept = {}
    ids = {sid for sid, _ in graded}
    kept = {other: [r for r in entries if r["id"] not in ids]
            for other, entries in kept.items() if other != folder}
    kept[folder] = [{"entry": shown(n), "id": id_of(n), "reason": why} for n, why in rejected]
    with open(record + ".new", "w", encoding="utf-8") as f:
        json.dump({k: v for k, v in kept.items() if v}, f, indent=1)
    os.replace(record + ".new", record)
