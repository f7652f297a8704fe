"""driver - grades one submission: what grader/grade runs.

    1. Building: each lab is assembled in a build folder of its own under
       /tmp (the kit's files of labs/LAB, then the submission's
       STUDENT_FILES) and built in the sandbox.
    2. Testing: each lab's bats suite runs on a network of its own when it
       needs one, as many labs at a time as the machine has cores, and
       more while the cores are not kept busy (labs whose suite says
       `# waits: yes`, mostly asleep, on top), their lines printed in
       lab order all the same.
    3. The report: Figure 12.5 as observed, `Score: N/M`, and the files
       OUT/report.txt, results.json and junit.xml (lib/report.py), with
       OUT/work/LAB/ (build log, valgrind logs) and OUT/work/LAB.json (the
       lab's results, how long it took and the CPU its suite used, for
       grader/bench).

A stop (INT, TERM, HUP) ends the tests and writes no grade.  A KILL of
the grade, or of its process group, runs no handler: a watcher process
of its own session waits for the grade to end and cleans up after it.
What a run leaves (student code, its cgroups, the networks, the build
folder) is named by its GRADE_ID, which every process it starts inherits.
"""
import concurrent.futures
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import entries
import report

GRADER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KIT = os.path.dirname(GRADER)
SUITES = os.path.join(GRADER, "suites")
TOOLS = os.path.join(GRADER, "tools")
CONFINE = os.path.join(TOOLS, "confine")  # the sandbox of every student command
NET = os.path.join(GRADER, "net")
# The files of a lab folder the kit provides (never what a build made).
KIT_SOURCE = re.compile(r".*\.(c|h|md|mk)$|^Makefile$")
BUILD_LOG_LIMIT = 1 << 20
BUILD_SECONDS = 120
# How long the tests still running at a stop get to end before a KILL.
STOP_GRACE = 5



class IdleCores:
    """How many of the machine's cores were idle (/proc/stat's idle and
    iowait time) between two calls of since_last."""

    def __init__(self):
        self.last = self.read()

    @staticmethod
    def read():
        with open("/proc/stat", encoding="ascii") as f:
            times = [int(t) for t in f.readline().split()[1:]]
        return times[3] + times[4], sum(times)

    def since_last(self):
        (idle, total), (last_idle, last_total) = self.read(), self.last
        self.last = idle, total
        # /proc/stat counts every core of the machine.
        return (os.cpu_count() or 1) * (idle - last_idle) / (total - last_total) if total > last_total else 0.0

class Stopped(Exception):
    """A signal asked the grade to stop; the exit status it asks for."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status


def all_labs():
    return sorted(name[:-5] for name in os.listdir(SUITES) if re.match(r"\d\d-.*\.bats$", name))


def select_labs(wanted):
    """The labs a --lab list names (each once), in the kit's order;
    ValueError says which name is no lab's."""
    labs = all_labs()
    if not wanted:
        return labs
    chosen = set()
    for want in wanted.split(","):
        found = [lab for lab in labs if want in (lab, lab.split("-", 1)[0], lab.split("-", 1)[1])]
        if not found:
            raise ValueError(f"no lab called '{want}'; the labs are: {' '.join(labs)}")
        chosen.add(found[-1])
    return [lab for lab in labs if lab in chosen]


def suite_says(lab, key):
    """True when LAB's suite has the header line `# KEY: yes`."""
    with open(os.path.join(SUITES, lab + ".bats"), encoding="utf-8") as f:
        return any(line.strip() == f"# {key}: yes" for line in f)


def student_files(lab):
    """The words of the `STUDENT_FILES = ...` line of the lab's Makefile,
    read as data (what a make prints depends on the flags it was given)."""
    with open(os.path.join(KIT, "labs", lab, "Makefile"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"STUDENT_FILES\s*=\s*(.*)", line)
            if m:
                return m.group(1).split()
    return []


def linker_debug():
    """The separate debug information of the dynamic linker (a file in
    /usr/lib/debug), or "".  valgrind needs it to start; the rest of
    /usr/lib/debug (the C library's) it reads at every start, which makes
    a start 2.5 times slower, so student commands see this file alone
    there (confine --debug; frames in the C library then show its
    functions without their lines)."""
    def readelf(*args):
        return subprocess.run(["readelf", *args], capture_output=True, text=True).stdout
    found = re.search(r"interpreter: (.*)\]", readelf("-l", "/bin/sh"))
    if not found:
        return ""
    build_id = re.search(r"Build ID: ([0-9a-f]+)", readelf("-n", os.path.realpath(found.group(1))))
    if not build_id:
        return ""
    path = f"/usr/lib/debug/.build-id/{build_id.group(1)[:2]}/{build_id.group(1)[2:]}.debug"
    return path if os.path.isfile(path) else ""


def single_uid():
    """True as root of a user namespace that maps one uid (lib/userns.bash)."""
    with open("/proc/self/uid_map", encoding="ascii") as f:
        inside, _, count = f.readline().split()
    return inside == "0" and count == "1" and os.geteuid() == 0


def valid_filter(pattern):
    """Whether bats, which matches --filter as an extended regular
    expression, can compile PATTERN (grep -E reads it the same way)."""
    return subprocess.run(["grep", "-qE", "--", pattern], stdin=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode != 2


def out_is_grades(out):
    """True when OUT is new, or holds only what grade writes there."""
    if not os.path.exists(out):
        return True
    return os.path.isdir(out) and set(os.listdir(out)) <= {"work", "report.txt", "results.json", "junit.xml"}


class Terminal:
    """What the run prints: to the terminal and to OUT/report.txt (there
    without colours)."""

    COLORS = re.compile(r"\x1b\[[0-9;]*m")

    def __init__(self, path):
        self.file = open(path, "w", encoding="utf-8")
        self.color = sys.stdout.isatty()

    def say(self, *lines):
        for line in lines:
            print(line, flush=True)
            self.file.write(self.COLORS.sub("", line) + "\n")
        self.file.flush()

    def close(self):
        self.file.close()


class Lab:
    """One lab of the run: where it is built, its network, its lines."""

    def __init__(self, run, name):
        self.name = name
        self.dir = os.path.join(run.build, "build", name)
        self.work = os.path.join(run.out, "work", name)
        self.net = f"{run.grade_id}-{name[:2]}" if suite_says(name, "network") else ""
        self.waits = suite_says(name, "waits")
        self.lines = queue.Queue()  # the lab's lines as they come; None ends them
        self.tests = []


class Run:
    def __init__(self, submission, out, labs, only, hidden):
        self.submission, self.out, self.only, self.hidden = submission, out, only, hidden
        self.grade_id = os.environ.get("GRADE_TAG", "") + f"g{os.getpid()}"
        self.build = tempfile.mkdtemp(prefix=f"ipv6lab-{self.grade_id}.", dir="/tmp")
        os.chmod(self.build, 0o755)
        self.labs = [Lab(self, name) for name in labs]
        self.watcher = None
        # The suites' python3 is this one, found first on their PATH (not
        # through a version manager's shim, a dozen processes a call).
        path = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", os.defpath)
        self.env = dict(os.environ, PATH=path, GRADE_ID=self.grade_id, GRADER=GRADER, LAB_BUILD=self.build,
                        SANDBOX_LINKER_DEBUG=linker_debug(), SANDBOX_LOG_FD=self.ask(CONFINE, "--log-fd"))
        self.stage = 0

    @staticmethod
    def ask(*command):
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()

    # -- cleaning up -----------------------------------------------------

    def processes(self):
        """The PIDs of the processes this run started, but this one: every
        process whose environment holds its GRADE_ID."""
        mark = f"GRADE_ID={self.grade_id}".encode()
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            if int(pid) in (os.getpid(), self.watcher):
                continue
            try:
                with open(f"/proc/{pid}/environ", "rb") as f:
                    if mark in f.read().split(b"\0"):
                        found.append(int(pid))
            except OSError:
                pass
        return found

    def signal_all(self, sig):
        for pid in self.processes():
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass

    def cleanup(self):
        """Ends what the run started (TERM, then KILL after STOP_GRACE),
        reaps its sandboxes, takes its networks down, removes the build."""
        if self.processes():
            self.signal_all(signal.SIGTERM)
            deadline = time.monotonic() + STOP_GRACE
            while self.processes() and time.monotonic() < deadline:
                time.sleep(0.1)
            self.signal_all(signal.SIGKILL)
        subprocess.run([CONFINE, "--reap", self.grade_id], env=self.env)
        for lab in self.labs:
            if lab.net:
                subprocess.run([NET, "down", lab.net], env=self.env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.build, ignore_errors=True)

    def watch(self):
        """Starts the watcher: in a session of its own, holding nothing of
        the run's but the read end of a pipe, it cleans up once the grade
        is gone (EOF) if the grade did not do so itself."""
        read_end, write_end = os.pipe()
        self.watcher = os.fork()
        if self.watcher:
            os.close(read_end)
            return
        try:
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(sig, signal.SIG_DFL)
            os.setsid()
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.closerange(3, read_end)
            os.closerange(read_end + 1, os.sysconf("SC_OPEN_MAX"))
            while os.read(read_end, 1):
                pass
            if os.path.isdir(self.build):
                self.cleanup()
        finally:
            os._exit(0)

    # -- building ----------------------------------------------------------

    def kit_sources(self, source, dest):
        os.makedirs(dest, exist_ok=True)
        for name in os.listdir(source):
            path = os.path.join(source, name)
            if os.path.isfile(path) and KIT_SOURCE.match(name):
                shutil.copy(path, dest)

    def take_student_files(self, lab):
        """Copies lab's STUDENT_FILES from the submission; returns why a
        file could not be taken, a line each."""
        problems = []
        for file in student_files(lab.name):
            # Where the file is in the submission (02-daytimesrv6/daytimesrv6.c
            # for lab 05's ../02-daytimesrv6/daytimesrv6.c), and where that
            # really is, links followed: it must lie inside the submission.
            shown = os.path.normpath(f"{lab.name}/{file}")
            src = os.path.join(self.submission, shown)
            dest = os.path.normpath(os.path.join(lab.dir, file))
            if os.path.islink(src):
                problems.append(f"{shown} is a symbolic link: submit the file itself")
            elif os.path.exists(src) and not os.path.realpath(src).startswith(self.submission + "/"):
                problems.append(f"{shown} lies outside the submission (a folder on its way is a "
                                "symbolic link): submit the files themselves")
            elif os.path.isfile(src):
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                shutil.copy(src, dest)
                continue
            else:
                problems.append(f"{shown} is missing from the submission")
            if os.path.lexists(dest):
                os.remove(dest)
        return problems

    def give_to_runner(self, *paths):
        """As root, the sandbox's user (tools/confine) builds: it owns the files."""
        if os.geteuid() == 0 and not single_uid():
            for path in paths:
                subprocess.run(["chown", "-R", "ipv6lab", path], check=True)

    def build_lab(self, lab):
        """Assembles and builds lab; True when it built.  Its log goes to
        LAB_DIR/build.log and OUT/work/LAB/build.log."""
        self.kit_sources(os.path.join(KIT, "labs", lab.name), lab.dir)
        problems = self.take_student_files(lab)
        self.give_to_runner(lab.dir, os.path.join(self.build, "build", "common"))
        log = os.path.join(lab.dir, "build.log")
        built = not problems
        if problems:
            text = "".join(line + "\n" for line in problems).encode()
        else:
            cgroup = f"{self.grade_id}/build-{lab.name}"
            make = subprocess.run([CONFINE, "--no-net", "--build", self.build, "--writable",
                                   "--cap", str(BUILD_LOG_LIMIT), cgroup,
                                   "timeout", "-k", "2", str(BUILD_SECONDS), "make", "-C", lab.dir],
                                  env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
            text = make.stdout[:BUILD_LOG_LIMIT]  # of both streams together
            built = make.returncode == 0
        with open(log, "wb") as f:
            f.write(text)
        os.makedirs(lab.work, exist_ok=True)
        shutil.copy(log, os.path.join(lab.work, "build.log"))
        return built

    # -- testing -----------------------------------------------------------

    def test_lab(self, lab, assertions):
        """Runs lab's suite (on its network, if it has one), putting its
        lines in lab.lines; writes OUT/work/LAB.json."""
        started, cpu = time.monotonic(), 0.0
        results = report.LabResults(os.path.join(SUITES, lab.name + ".bats"), lab.name, lab.work,
                                    self.only, self.hidden, self.terminal.color)
        # For the suite's valgrind test (lib/lab.bash): which tests are worth points.
        with open(os.path.join(lab.work, "worth.txt"), "w", encoding="utf-8") as f:
            f.writelines(f"{name}\n" for name, points in results.points.items() if points > 0)
        try:
            if lab.net:
                up = subprocess.run([NET, "up", lab.net, "--owner", str(os.getpid())], env=self.env,
                                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT)
                for line in report.text_lines(up.stdout.splitlines(keepends=True)):
                    lab.lines.put("  " + report.visible(line))
            command = ["bats", "--formatter", "tap"]
            command += ["--filter", self.only] if self.only else []
            command += [] if self.hidden else ["--filter-tags", "!hidden"]
            env = dict(self.env, **assertions, LAB_DIR=lab.dir, LAB_WORK=lab.work, LABNET=lab.net)
            # bats in a session of its own: a stop of the grade's process
            # group reaches the grade, which ends the tests itself.
            with open(lab.work + ".stderr", "wb") as stderr:
                bats = subprocess.Popen(command + [os.path.join(SUITES, lab.name + ".bats")],
                                        env=env, stdout=subprocess.PIPE, stderr=stderr,
                                        start_new_session=True)
            with open(lab.work + ".tap", "wb") as tap:
                def tapped():
                    for raw in bats.stdout:
                        tap.write(raw)
                        yield raw
                report.read_tap(tapped(), lambda *result: [lab.lines.put(line)
                                                          for line in results.result(*result)])
            # The CPU the suite took, what it waited for included (for bench).
            _, status, usage = os.wait4(bats.pid, 0)
            bats.returncode = os.waitstatus_to_exitcode(status)
            cpu = usage.ru_utime + usage.ru_stime
        finally:
            try:
                if lab.net:
                    subprocess.run([NET, "down", lab.net], env=self.env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                lines, lab.tests = results.finish()
                for line in lines:
                    lab.lines.put(line)
                with open(lab.work + ".json", "w", encoding="utf-8") as f:
                    json.dump({"lab": lab.name, "seconds": round(time.monotonic() - started, 2),
                               "cpu": round(cpu, 2), "tests": lab.tests}, f, indent=1)
            finally:
                lab.lines.put(None)

    def lanes(self, assertions):
        """Runs test_lab for every lab: as many labs at a time as there
        are cores, and more while the cores are not kept busy (a lab
        waits too: on its servers, on timeouts, on the network), up to
        twice as many; labs that mostly wait on top of them.  One lab at
        a time on the local backend."""
        cores = len(os.sched_getaffinity(0))
        # One at a time where every host is this machine (the local
        # backend, lib/backends/local.bash): the labs would share its counters
        # and its resolver, waiting labs too.
        serial = self.env.get("LABNET_BACKEND") == "local"
        threads, idle, last_start = [], IdleCores(), 0.0
        for lab in sorted(self.labs, key=lambda lab: not lab.waits and not serial):
            while True:
                running = sum(t.is_alive() for t in threads)
                busy = sum(t.is_alive() and not t.lab.waits for t in threads)
                idle_now = idle.since_last()
                if serial:
                    if not running:
                        break
                elif lab.waits or busy < cores:
                    break
                # A lab started less than half a second ago has not shown its load yet.
                elif busy < 2 * cores and idle_now >= 0.25 and time.monotonic() - last_start > 0.5:
                    break
                time.sleep(0.25)
            thread = threading.Thread(target=self.test_lab, args=(lab, assertions), daemon=True)
            thread.lab = lab
            thread.start()
            threads.append(thread)
            last_start = time.monotonic()

    def say_stage(self, what):
        self.stage += 1
        self.terminal.say("", f"{self.stage}. {what}")

    def grade(self):
        """Builds and tests the labs, writes the reports; the exit status."""
        say = self.terminal.say
        started = time.time()
        say(f"Grading {self.submission}: {' '.join(lab.name for lab in self.labs)}")
        if single_uid():
            say("Without root: the lab network is in a user namespace of yours, where you are",
                "the only user. Student code runs as you, not as a user of its own; it still gets",
                "PID, mount, IPC and network namespaces of its own, a root holding /usr and /etc",
                "only, no terminal, and the limits on CPU time, file size, open files and",
                f"processes. Its cgroup (memory, processes): {self.ask(CONFINE, '--cgroups')}.")
        if self.ask(CONFINE, "--namespaces") == "no":
            say("No namespace can be made here (no SYS_ADMIN): student code runs as ipv6lab, with",
                "the limits on CPU time, file size and open files, 256 processes of ipv6lab's at",
                "most, a timeout and no terminal, but it sees what ipv6lab may read and shares this",
                f"machine's network. Its cgroup (memory, processes): {self.ask(CONFINE, '--cgroups')}.")
        self.say_stage("Building")
        self.kit_sources(os.path.join(KIT, "labs", "common"), os.path.join(self.build, "build", "common"))
        # The suites' fixtures (the grader's drivers, which build_driver
        # compiles as the sandbox's user); not the suites, which may hold
        # hidden tests.
        shutil.copytree(SUITES, os.path.join(self.build, "suites"),
                        ignore=lambda _, names: [n for n in names if n.endswith(".bats")])
        for lab in self.labs:
            os.makedirs(os.path.join(self.build, "drivers", lab.name))
        # As many builds at a time as there are cores, said in lab order.
        # A stop does not wait for them: cleanup ends them.
        builds = concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
        try:
            for lab, built in zip(self.labs, builds.map(self.build_lab, self.labs)):
                if built:
                    say(f"  {lab.name}: built")
                else:
                    say(f"  {lab.name}: DOES NOT BUILD")
                    with open(os.path.join(lab.dir, "build.log"), "rb") as f:
                        say(*report.quoted(list(report.text_lines(f))[:15]))
        finally:
            builds.shutdown(wait=False, cancel_futures=True)
        assertions = dict(entry.split("=", 1) for entry in
                          self.ask(os.path.join(GRADER, "lib", "assertions")).split("\0") if entry)
        threading.Thread(target=self.lanes, args=(assertions,), daemon=True).start()
        tests = []
        for lab in self.labs:
            self.say_stage(f"Testing {lab.name}")
            for line in iter(lab.lines.get, None):
                say(line)
            tests += lab.tests
        say(*report.matrix_lines(tests, self.terminal.color))
        left_out = report.not_graded(tests)
        if left_out:
            say("", *left_out)
        report.write_reports(self.out, tests, round(time.time() - started, 1))
        score = sum(t["score"] for t in tests)
        total = sum(t["max_score"] for t in tests)
        say("", report.paint(f"Score: {score}/{total}", "1;32" if score == total else "1;31",
                             self.terminal.color))
        return 0 if score == total and total > 0 else 1


def stop_on_signals():
    def stop(signum, _frame):
        raise Stopped(128 + signum)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)


def grade(submission, out, labs, only, hidden):
    """Grades SUBMISSION (checked) into OUT (checked) and exits."""
    os.makedirs(os.path.join(out, "work"), exist_ok=True)
    out = os.path.abspath(out)
    # The reports are this run's; of the logs, only the graded labs' are
    # replaced (those of a lab graded earlier stay).
    for name in ("results.json", "junit.xml", "report.txt"):
        if os.path.exists(os.path.join(out, name)):
            os.remove(os.path.join(out, name))
    for name in os.listdir(os.path.join(out, "work")):
        if any(name == lab or name.startswith(lab + ".") for lab in labs):
            path = os.path.join(out, "work", name)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    # The grader's tools, the sandbox among them, built when stale.
    if subprocess.run(["make", "-s", "-C", TOOLS], stdout=sys.stderr).returncode:
        sys.exit("grade: the grader's tools (grader/tools) do not build")
    stop_on_signals()
    run = Run(submission, out, labs, only, hidden)
    run.watch()
    run.terminal = Terminal(os.path.join(out, "report.txt"))
    status, graded = 1, False
    try:
        status = run.grade()
        graded = True
    except Stopped as stop:
        run.terminal.say("Stopped: no grade was written.")
        status = stop.status
    finally:
        # A second signal during the cleanup must not cut it short.
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        run.cleanup()
        run.terminal.close()
        if not graded:
            for name in ("results.json", "junit.xml"):
                if os.path.exists(os.path.join(out, name)):
                    os.remove(os.path.join(out, name))
    if graded:
        # Where this run's files are: on the terminal, after the report.
        print(f"Reports: {out}/report.txt, {out}/results.json, {out}/junit.xml")
        print("Logs: " + ", ".join(f"{out}/work/{lab}/" for lab in labs))
    sys.exit(status)


# -- a class -----------------------------------------------------------------

UNPACK_SECONDS = 120  # wall-clock bound on unpacking one archive
MAX_WHY = 300  # characters of the reason a submission got no grade


def zero_grade(folder, why):
    """FOLDER/report.txt and results.json of a submission that could not
    be graded: zero points, and why (one line) as the reason."""
    why = " ".join("".join(c if c.isprintable() else " " for c in why).split())
    why = why if len(why) <= MAX_WHY else why[:MAX_WHY - 3] + "..."
    text = f"This submission could not be graded: {why or 'no reason given'}"
    with open(os.path.join(folder, "report.txt"), "w", encoding="utf-8") as f:
        print(text, file=f)
    with open(os.path.join(folder, "results.json"), "w", encoding="utf-8") as f:
        json.dump({"score": 0, "execution_time": 0, "output": text, "tests": []}, f)
        print(file=f)


def score_of(path):
    """The score of a results.json: "N / M"."""
    with open(path, encoding="utf-8") as f:
        r = json.load(f)
    return f'{r["score"]} / {r.get("max_score", "?")}'


def unpack(archive, dest):
    """Unpacks archive into dest (lib/unpack.py, which limits itself, under a
    wall-clock bound); None, or a one-line reason."""
    try:
        done = subprocess.run([sys.executable, "-S", os.path.join(GRADER, "lib", "unpack.py"), archive, dest],
                              capture_output=True, text=True, errors="replace",
                              timeout=UNPACK_SECONDS)
    except subprocess.TimeoutExpired:
        return f"unpacking took more than {UNPACK_SECONDS}s"
    lines = done.stderr.splitlines() or [""]
    if done.returncode == 0:
        return None
    if done.returncode == 1:
        return lines[0][:300]
    if done.returncode == -signal.SIGXCPU:
        return "unpacking used more than its CPU time"
    return f"cannot unpack (status {done.returncode}): {lines[-1][:200]}"


def find_labs(folder):
    """The folder of an unpacked submission that holds the lab folders (a
    lab folder that is a link counts: grade refuses it, saying why), in
    its first four levels; None when there is none."""
    found = []
    for top, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(top, name)
            if re.match(r"[0-9][0-9]-", name) and (os.path.isdir(path) or os.path.islink(path)):
                found.append(top)
        if top[len(folder):].count(os.sep) >= 3:
            dirs.clear()
    return min(found) if found else None


class Class:
    """grade-all: every entry of SUBMISSIONS graded into OUT/ID by a grade
    process of its own, JOBS at a time, then the gradebook."""

    def __init__(self, submissions, out, jobs, force, labs, seconds):
        self.submissions, self.out, self.jobs = submissions, out, jobs
        self.force, self.labs, self.seconds = force, labs, seconds
        self.work = os.path.join(out, ".work")
        self.grades = set()  # the grade processes under way
        self.stopping = False
        self.lock = threading.Lock()

    def grade_entry(self, folder, result):
        """Runs grade on folder into result, within self.seconds."""
        command = [os.path.join(GRADER, "grade"), "--hidden", "--submission", folder, "--out", result]
        command += ["--lab", self.labs] if self.labs else []
        with self.lock:
            if self.stopping:
                return
            # In a session of its own: a Ctrl-C reaches grade-all, which
            # stops each grade (it then cleans up after itself).
            grade = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
            self.grades.add(grade)
        try:
            grade.wait(timeout=self.seconds)
        except subprocess.TimeoutExpired:
            grade.terminate()
            try:
                grade.wait(timeout=10)
            except subprocess.TimeoutExpired:
                grade.kill()
                grade.wait()
        with self.lock:
            self.grades.discard(grade)

    def grade_one(self, sid, entry):
        """Grades entry into OUT/ID, which appears whole or not at all: the
        work happens in a folder under OUT/.work, renamed into place."""
        final = os.path.join(self.out, sid)
        if os.path.exists(os.path.join(final, "results.json")) and not self.force:
            print(f"{sid}: already graded", flush=True)
            return
        work = tempfile.mkdtemp(prefix="grade.", dir=self.work)
        result = os.path.join(work, "result")
        os.mkdir(result)
        why = None
        if os.path.islink(entry):
            why = "a symbolic link, not a folder or an archive"
        elif os.path.isdir(entry):
            why = self.grade_folder(entry, result)
        elif os.path.isfile(entry) and entry.endswith((".tar.gz", ".tgz", ".zip")):
            unpacked = os.path.join(work, "unpacked")
            os.mkdir(unpacked)
            why = unpack(entry, unpacked) or self.grade_folder(unpacked, result)
        else:
            why = "not a folder, .tar.gz, .tgz or .zip"
        with self.lock:
            if self.stopping:
                return
        if why:
            zero_grade(result, why)
        shutil.rmtree(os.path.join(result, "work", "build"), ignore_errors=True)
        # The earlier result goes aside into the work folder, not next to
        # the others, where it could be another student's folder.
        if os.path.exists(final):
            os.rename(final, os.path.join(work, "earlier"))
        os.rename(result, final)
        shutil.rmtree(work)
        print(f"{sid}: {score_of(os.path.join(final, 'results.json'))}", flush=True)

    def grade_folder(self, folder, result):
        """Grades folder; None, or why no grade came of it."""
        labs = find_labs(folder)
        if labs is None:
            return "no lab folder (like 01-addrclass) found in the submission"
        self.grade_entry(labs, result)
        if not os.path.isfile(os.path.join(result, "results.json")) or \
                not os.path.getsize(os.path.join(result, "results.json")):
            return f"the grader did not finish within {self.seconds}s"
        return None

    def stop(self):
        """Starts no other grade, stops those under way and waits for them."""
        with self.lock:
            self.stopping = True
            grades = list(self.grades)
        for grade in grades:
            grade.terminate()
        for grade in grades:
            grade.wait()

    def run(self, entries):
        """Grades the entries; the exit status."""
        failed = []
        pending = queue.Queue()
        for item in entries:
            pending.put(item)

        def worker():
            while not self.stopping:
                try:
                    sid, entry = pending.get_nowait()
                except queue.Empty:
                    return
                try:
                    self.grade_one(sid, entry)
                except OSError as e:
                    print(f"grade-all: {sid}: {e}", file=sys.stderr)
                    failed.append(sid)
        workers = [threading.Thread(target=worker, daemon=True) for _ in range(self.jobs)]
        stop_on_signals()
        try:
            for w in workers:
                w.start()
            for w in workers:
                while w.is_alive():
                    w.join(0.2)
        except Stopped as stop:
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(sig, signal.SIG_IGN)
            self.stop()
            # What is left in the work folder is this run's, half done.
            shutil.rmtree(self.work, ignore_errors=True)
            return stop.status
        return 1 if failed else 0
