#!/usr/bin/env python3
"""vgcheck - what the valgrind logs of one lab found.

    vgcheck.py LOGDIR

LOGDIR holds one log per command run (valgrind --log-fd), in which every
line of every process of the run starts with ==PID==, and for each a file
NAME.what naming the test and the command, and NAME.end, which the sandbox
writes and the program cannot: "status S left N cpu SECONDS", how the
command ended, how many processes it left running, and the CPU time it
took.  The log is on a descriptor valgrind keeps from the program's
writes, a pipe to a writer of the grader's that only appends (see
tools/confine), and every program the command starts runs under valgrind
too.  A program that duplicates that descriptor (dup(2), which valgrind
lets through) can still add lines there, never take one back; so the
.end file decides whether the command was killed or left processes
behind, and each process's lines are read strictly as valgrind writes
them: at most one banner (one program: a process that ran another,
exec, left the first unchecked), exactly one ERROR SUMMARY, its last
line, counting 0 errors, and an open descriptor is forgiven only when
valgrind's line under it says it was inherited.  Added lines can then
only make a log look worse, but for one case: a forked process that
writes a summary of its own and ends by SIGKILL, before valgrind writes
the real one (the sandbox records how the command's first process
ended, not its children).  Prints one paragraph per process with a problem:
memory errors (with the first frames of each), definite or indirect
leaks, descriptors the program opened and never closed, and processes
killed before valgrind could report.  Exit status 0 when every log is
clean, 1 otherwise, 2 when there is no log at all.
"""
import pathlib
import re
import sys

PREFIX = re.compile(r"^==(\d+)== ?(.*)$")
FRAMES = 3  # stack lines shown per finding


def processes(text):
    """{pid: [lines without the ==PID== prefix]}, in the order the pids
    first appear; other lines (valgrind writes none) are ignored."""
    found = {}
    for line in text.splitlines():
        m = PREFIX.match(line)
        if m:
            found.setdefault(m.group(1), []).append(m.group(2))
    return found


OPEN_FD = re.compile(r"Open (file descriptor|\S+ socket) \d+")


def blocks(lines):
    """Valgrind's paragraphs: runs of lines between blank ones; each open
    descriptor's report is a paragraph of its own."""
    block = []
    for line in lines:
        if block and (not line.strip() or OPEN_FD.match(line)):
            yield block
            block = []
        if line.strip():
            block.append(line)
    if block:
        yield block


BANNER = "Memcheck, a memory error detector"
SUMMARY = re.compile(r"^ERROR SUMMARY: (\d+) errors from \d+ contexts "
                     r"\(suppressed: \d+ from \d+\)$")
INHERITED = "   <inherited from parent>"  # the line under an inherited descriptor
KILLED_FIRST = "did not finish: killed (a hang or a timeout?) before valgrind could check it"


def frames(block):
    return "".join("\n    " + line.strip() for line in block[1:1 + FRAMES])


def findings(lines, first=False):
    """What is wrong with one process's lines; FIRST: those of the command
    itself, which start with valgrind's banner (forked processes have
    none)."""
    summaries = [m for m in map(SUMMARY.match, lines) if m]
    if not summaries:
        return [KILLED_FIRST]
    found = []
    if first and lines[0] != BANNER:
        found.append("its log does not start with valgrind's banner")
    if lines.count(BANNER) > 1:
        found.append("ran another program (exec) before valgrind could check the first one")
    if len(summaries) > 1 or not SUMMARY.match(lines[-1]):
        found.append("its log is not valgrind's alone: more than one ERROR SUMMARY, "
                     "or lines after it")
    for block in blocks(lines):
        head = block[0]
        if OPEN_FD.match(head):
            if block[1:] != [INHERITED]:
                found.append("descriptor left open at exit: " + head.removeprefix("Open ")
                             + frames(block))
        elif re.search(r"are (definitely|indirectly) lost", head):
            found.append("leak: " + head + frames(block))
        elif block[1:] and block[1].lstrip().startswith("at 0x") and not head.startswith(
                ("HEAP SUMMARY", "LEAK SUMMARY", "FILE DESCRIPTORS", "Open ")) \
                and "possibly lost" not in head and "still reachable" not in head:
            kind = "killed by a signal: " if head.startswith("Process terminating") else "memory error: "
            found.append(kind + head + frames(block))
    errors = int(summaries[-1].group(1))
    if errors and not any(f.startswith(("leak", "memory", "killed")) for f in found):
        found.append(f"valgrind counted {errors} error(s) (ERROR SUMMARY)")
    return found


END = re.compile(r"^status (\d+) left (\d+) cpu [0-9.]+$")
KILLED = 128 + 9


def end_findings(path):
    """What the sandbox's .end file says went wrong: the program killed
    (SIGKILL: a hang, a timeout, memory), or processes left running."""
    text = path.read_text().strip() if path.exists() else ""
    if not text:
        return []  # no sandbox (not root): the log alone decides
    m = END.match(text)
    if not m:
        return ["the sandbox's record of how it ended is unreadable"]
    found = []
    if int(m.group(1)) == KILLED:
        found.append(KILLED_FIRST)
    if int(m.group(2)):
        found.append(f"left {m.group(2)} process(es) running when it ended (a daemon?), "
                     "killed before valgrind could check them")
    return found


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: vgcheck.py LOGDIR")
    logs = sorted(pathlib.Path(sys.argv[1]).glob("*.log"))
    if not logs:
        print("no program ran under valgrind, so nothing was checked")
        sys.exit(2)
    checked = dirty = 0
    for log in logs:
        what = log.with_suffix(".what")
        origin = what.read_text().strip() if what.exists() else log.name
        runs = processes(log.read_text(errors="replace"))
        if not runs:
            runs = {"?": []}  # killed before valgrind wrote a line
        ending = end_findings(log.with_suffix(".end"))
        if ending:
            checked += 1
            dirty += 1
            print(f"{origin}:")
            for problem in ending:
                print("  " + problem)
        for n, (pid, lines) in enumerate(runs.items()):
            checked += 1
            problems = findings(lines, first=n == 0)
            if problems:
                dirty += 1
                print(f"{origin} [process {pid}]:")
                for problem in problems:
                    print("  " + problem)
    print(f"{checked} process(es) checked, {dirty} with problems")
    sys.exit(1 if dirty else 0)


if __name__ == "__main__":
    main()
