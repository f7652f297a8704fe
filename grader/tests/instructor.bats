#!/usr/bin/env bats
# What instructors use: grading a class with grade-all, the class page, and
# the students' handout.  The class holds the reference, the handout, broken
# archives, and the hostile submissions of grader/tests/hostile/.

load meta

setup_file() {
	export CLASS=$BATS_FILE_TMPDIR/class GRADED=$BATS_FILE_TMPDIR/graded
	mkdir -p "$CLASS"
	cp -r "$KIT/solutions" "$CLASS/ada"
	tar -C "$KIT" -czf "$CLASS/bob.tar.gz" labs
	(cd "$KIT/solutions/.." && python3 -c '
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for name in ("in6class.c", "addrclass.c"):
        z.write(f"solutions/01-addrclass/{name}", f"cy/labs/01-addrclass/{name}")
' "$CLASS/cy.zip")
	python3 - "$CLASS" <<'PY'
import io, sys, tarfile
def tar(path, name, **kind):
    with tarfile.open(path, "w:gz") as t:
        info = tarfile.TarInfo(name)
        for key, value in kind.items():
            setattr(info, key, value)
        t.addfile(info, io.BytesIO(b"x" * info.size))
tar(f"{sys.argv[1]}/dan.tar.gz", "../../outside", size=1)
tar(f"{sys.argv[1]}/eve.tar.gz", "labs/01-addrclass/in6class.c", type=tarfile.SYMTYPE,
    linkname="/work/main/solutions/01-addrclass/in6class.c")
PY
	echo "not a zip" >"$CLASS/fay.zip"
	# Entry names: none of these is a student id, or two are for one id.
	local long
	long=$(printf 'g%.0s' {1..250})
	mkdir "$CLASS/.work" "$CLASS/gradebook.csv" "$CLASS/$long" "$CLASS/=1+2" "$CLASS/@SUM(A1)" \
		"$CLASS/-1+2" "$CLASS/dave" "$CLASS/frank"
	: >"$CLASS/.zip"
	echo "not a submission" >"$CLASS/dave.old"
	cp "$CLASS/fay.zip" "$CLASS/frank.zip"
	make_bombs "$CLASS"
	# gus hands in a link to ada's lab folder: her work, not his.
	mkdir "$CLASS/gus"
	ln -s ../ada/01-addrclass "$CLASS/gus/01-addrclass"
	local case
	for case in "$HOSTILE"/*.c; do
		case=${case##*/}
		make_hostile "${case%.c}" "$CLASS/${case%.c}"
	done
	# The class's runs are named by this tag (see GRADE_TAG in grader/grade),
	# so that what other tests run meanwhile is told apart.
	export GRADE_TAG=class$$-
	leftovers | sort >"$BATS_FILE_TMPDIR/leftovers.before"
	timeout -k 5 900 "$KIT/grader/grade-all" -j 2 --lab 01 "$CLASS" "$GRADED" \
		>"$BATS_FILE_TMPDIR/grade-all.log" 2>&1 || true
}

teardown_file() {
	rm -rf "${KIT_COPY:?}"
}

# What a grading run could leave behind: processes of the sandbox's user,
# cgroups of its runs, namespaces, mounts, that user's files where anyone
# may write, and its SysV shared memory, semaphores and message queues.  Of what belongs to another run (its cgroup, network or
# build folder is named without this class's GRADE_TAG), nothing is listed.
leftovers() {
	local pid other="ipv6lab[/-](?!$GRADE_TAG)"
	for pid in $(pgrep -u ipv6lab); do
		grep -qP "$other" "/proc/$pid/cgroup" 2>/dev/null || ps -o pid=,comm= -p "$pid" || true
	done
	find /sys/fs/cgroup -path "*/ipv6lab/*" -type d | grep -vP "$other" || true
	ip netns list | grep "^$GRADE_TAG" || true
	grep ipv6lab /proc/self/mountinfo || true
	find /tmp /var/tmp /dev/shm /run/lock -xdev -user ipv6lab | grep -vP "^/tmp/$other" || true
	ipcs -m -s -q | awk '$3 == "ipv6lab" { print "ipc", $0 }'
}

# The gradebook row of student $1.
row() {
	grep "^$1," "$GRADED/gradebook.csv"
}

# note_of NAME: the note (last cell) of the one gradebook row whose id
# cell is exactly NAME; fails when there is no such row or more than one.
note_of() {
	python3 - "$GRADED/gradebook.csv" "$1" <<'PY'
import csv, sys
rows = [r for r in csv.reader(open(sys.argv[1], newline="")) if r[0] == sys.argv[2]]
if len(rows) != 1:
    sys.exit(f"{len(rows)} rows for {sys.argv[2]!r}")
print(rows[0][-1])
PY
}

# make_bombs DIR: writes the archive bombs bomb-*.tar.gz and bomb-zip.zip
# into DIR.  Each is written piece by piece, is about 64 KB or less, and
# would unpack to 64 MiB (or 5000 files).
make_bombs() {
	python3 - "$1" <<'PY'
import gzip, sys, tarfile, zipfile
folder, MiB = sys.argv[1], 2**20

def header(name, size, kind=tarfile.REGTYPE):
    info = tarfile.TarInfo(name)
    info.size, info.type = size, kind
    return info.tobuf(format=tarfile.GNU_FORMAT)

def tar_gz(name, *parts):
    """Writes a .tar.gz of parts: a header (bytes), or (byte, size): the
    data of a member, size times byte, padded to whole 512-byte blocks."""
    with gzip.open(f"{folder}/{name}", "wb") as f:
        for part in parts:
            if isinstance(part, bytes):
                f.write(part)
                continue
            byte, size = part
            for _ in range(size // MiB):
                f.write(byte * MiB)
            f.write(byte * (size % MiB) + b"\0" * (-size % 512))
        f.write(b"\0" * 1024)

tar_gz("bomb-longname.tar.gz", header("././@LongLink", 64 * MiB, tarfile.GNUTYPE_LONGNAME),
       (b"a", 64 * MiB), header("x", 0))
tar_gz("bomb-pax.tar.gz", header("././@PaxHeader", 64 * MiB, tarfile.XHDTYPE),
       (b"a", 64 * MiB), header("x", 0))
tar_gz("bomb-name.tar.gz", header("././@LongLink", 60000, tarfile.GNUTYPE_LONGNAME),
       (b"a", 60000), header("x", 0))
tar_gz("bomb-size.tar.gz", header("labs/01-addrclass/in6class.c", 64 * MiB), (b"\0", 64 * MiB))
tar_gz("bomb-files.tar.gz", *(header(f"labs/{i}.c", 0) for i in range(5000)))
with zipfile.ZipFile(f"{folder}/bomb-zip.zip", "w", zipfile.ZIP_DEFLATED) as z:
    with z.open("labs/01-addrclass/in6class.c", "w", force_zip64=True) as f:
        for _ in range(64):
            f.write(b"\0" * MiB)
PY
}

@test "grade-all grades folders, tarballs and zips into one gradebook row each" {
	run head -n 1 "$GRADED/gradebook.csv"
	assert_output "id,01-addrclass,total,max,note"
	run row ada
	assert_output "ada,36,36,36,"
	run row bob
	assert_output "bob,0,0,36,"
	run row cy
	assert_output "cy,36,36,36,"
}

@test "a busy loop loses the commands it hangs and valgrind, nothing more" { check_hostile busy-loop; }
@test "a program blocked forever loses the commands it hangs and valgrind" { check_hostile blocks-forever; }
@test "a program that ignores SIGTERM is killed and loses only what it hangs" { check_hostile ignores-sigterm; }
@test "a fork bomb is held to 64 processes and loses only the commands it runs in" { check_hostile fork-bomb; }
@test "a daemon that leaves with setsid is killed and costs the valgrind test" { check_hostile setsid-daemon; }
@test "kill(-1, SIGKILL) reaches nothing but the program's own processes" { check_hostile kill-everyone; }
@test "an endless flood of output is cut at 1 MiB and costs only the commands it floods" { check_hostile output-flood; }
@test "a memory hog is stopped at 512 MiB and loses only the commands it runs in" { check_hostile memory-hog; }
@test "a disk filler fills only the sandbox's own 64 MiB places and loses nothing" { check_hostile disk-filler; }
@test "a segfault loses the commands it crashes and valgrind" { check_hostile segfault; }
@test "an abort loses the commands it crashes and valgrind" { check_hostile abort; }
@test "fake ok, valgrind and Score lines earn nothing" { check_hostile fake-lines; }
@test "fake verdict lines printed by code linked into the grader's worker earn nothing" { check_hostile fake-verdicts; }
@test "a fake valgrind summary written into the log does not hide a daemon" { check_hostile fake-valgrind-summary; }
@test "a program cannot overwrite the build, the drivers or the results, nor link them away" { check_hostile tampers; }
@test "a program cannot read the solutions, the kit's tests or the hidden tests" { check_hostile reads-hidden; }
@test "an #include of the reference solution does not build" { check_hostile include-solution; }
@test "an #include of /dev/zero is stopped and scores nothing" { check_hostile include-dev-zero; }
@test "a file that includes itself does not build and scores nothing" { check_hostile include-itself; }
@test "a million compiler diagnostics are cut at 1 MiB and score nothing" { check_hostile endless-warnings; }
@test "privileged ports are refused and no port is shared with another run" { check_hostile binds-ports; }
@test "bad bytes, control characters and terminal escapes reach the reports escaped" { check_hostile report-injection; }
@test "a program cannot push input into the grader's terminal nor reach any terminal" { check_hostile steals-terminal; }
@test "a forged valgrind summary followed by an exec does not hide a leak" { check_hostile forged-summary-exec; }
@test "a byte written on valgrind's log before an invalid read does not hide the error" { check_hostile forged-byte; }
@test "a leaked descriptor in code named <inherited from parent> is still a leak" { check_hostile fake-inherited; }
@test "SysV shared memory, semaphores and message queues die with the run" { check_hostile ipc-leftovers; }
@test "an #include of another copy of the kit's solutions does not build" { check_hostile include-copied-kit; }
@test "an #include of /dev/ptmx fails at once, no terminal to wait on" { check_hostile include-ptmx; }

@test "every hostile case has its test above" {
	local case
	for case in "$HOSTILE"/*.c; do
		case=${case##*/}
		grep -q "check_hostile ${case%.c}; }" "$BATS_TEST_FILENAME" || fail "no test for $case"
	done
}

@test "after grading the class nothing of it is left: no process, cgroup, namespace, mount or file" {
	run grep -c . "$GRADED/gradebook.csv"
	assert_output "$(($(find "$CLASS" -mindepth 1 -maxdepth 1 | wc -l) + 1))"
	run comm -13 "$BATS_FILE_TMPDIR/leftovers.before" <(leftovers | sort)
	assert_output ""
}

@test "an archive that reaches outside itself, a symbolic link or a broken zip scores zero and says why" {
	run row dan
	assert_output --partial "a path outside the submission"
	run row eve
	assert_output --partial "not a plain file or folder"
	run row fay
	assert_output --partial "cannot unpack"
	[[ ! -e $BATS_FILE_TMPDIR/outside && ! -e $CLASS/../outside ]]
}

@test "hidden tests count in grade-all and are shown to students only after publication" {
	run python3 -c '
import json, sys
tests = json.load(open(sys.argv[1]))["tests"]
print(sorted({t["visibility"] for t in tests}))
' "$GRADED/ada/results.json"
	assert_output "['after_published', 'visible']"
}

@test "a rerun of grade-all skips what is graded, and --force grades it again" {
	run timeout 600 "$KIT/grader/grade-all" --lab 01 "$CLASS" "$GRADED"
	assert_success
	assert_line "ada: already graded"
	mkdir "$BATS_TEST_TMPDIR/again"
	cp -r "$CLASS/ada" "$BATS_TEST_TMPDIR/again/"
	run timeout 600 "$KIT/grader/grade-all" --force --lab 01 "$BATS_TEST_TMPDIR/again" "$GRADED"
	assert_line --partial "ada: 36 / 36"
}

@test "an entry whose name is no student id is not graded, and its gradebook row and stderr say why" {
	local long name
	long=$(printf 'g%.0s' {1..250})
	for name in .work gradebook.csv .zip "${long:0:77}..."; do
		run note_of "$name"
		assert_success
		assert_output --regexp "^not graded: (an id has only|the name is empty|.* is the name of a file grade-all writes|the id has 250 characters)"
		grep -qF "grade-all: $name: not graded: " "$BATS_FILE_TMPDIR/grade-all.log" || fail "no line for $name on stderr"
	done
	# grade-all's own work folder was not touched: the class was graded.
	run row ada
	assert_output "ada,36,36,36,"
	[[ -f $GRADED/gradebook.csv && ! -e $GRADED/.work && ! -e $GRADED/$long ]]
}

@test "two entries for one id are both reported and neither is graded; dave and dave.old are two students" {
	run note_of frank
	assert_output "not graded: 2 entries (frank, frank.zip) are for the id frank; keep only one"
	run note_of frank.zip
	assert_output "not graded: 2 entries (frank, frank.zip) are for the id frank; keep only one"
	[[ ! -e $GRADED/frank ]]
	run note_of dave
	assert_output --partial "no lab folder"
	run note_of dave.old
	assert_output --partial "not a folder, .tar.gz, .tgz or .zip"
	[[ -f $GRADED/dave/results.json && -f $GRADED/dave.old/results.json ]]
}

@test "no gradebook cell is a spreadsheet formula: one that would be starts with an apostrophe" {
	local name
	for name in "'=1+2" "'@SUM(A1)" "'-1+2"; do
		run note_of "$name"
		assert_output --partial "not graded: an id has only letters"
	done
	run python3 -c '
import csv, sys
for row in csv.reader(open(sys.argv[1], newline="")):
    for cell in row:
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
            print(repr(cell))
' "$GRADED/gradebook.csv"
	assert_output ""
}

@test "archive bombs are refused as they are read, in little memory and time, with a short reason" {
	local why="This submission could not be graded:"
	run note_of bomb-longname
	assert_output "$why a GNU long name of 67108864 bytes (at most 65536)"
	run note_of bomb-pax
	assert_output "$why a pax header of 67108864 bytes (at most 65536)"
	run note_of bomb-name
	assert_output "$why a name of 60000 characters (at most 1024)"
	run note_of bomb-size
	assert_output "$why more than 20971520 bytes unpacked"
	run note_of bomb-files
	assert_output "$why more than 2000 files"
	run note_of bomb-zip
	assert_output "$why more than 20971520 bytes unpacked"
	local bomb
	for bomb in "$CLASS"/bomb-*; do
		bomb=${bomb##*/}
		(($(stat -c %s "$GRADED/${bomb%%.*}/report.txt") < 300)) || fail "a long report for $bomb"
	done
	# Each again on its own, measured: peak memory (KiB), seconds, files left.
	run python3 - "$KIT/grader/lib/unpack.py" "$BATS_TEST_TMPDIR" "$CLASS"/bomb-* <<'PY'
import os, resource, subprocess, sys, time
unpack, tmp = sys.argv[1], sys.argv[2]
for i, bomb in enumerate(sys.argv[3:]):
    dest = f"{tmp}/{i}"
    os.mkdir(dest)
    start = time.monotonic()
    done = subprocess.run([sys.executable, unpack, bomb, dest], capture_output=True, timeout=60)
    seconds = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert done.returncode == 1 and len(done.stderr) < 250, (bomb, done)
    assert peak < 100 * 1024 and seconds < 10, (bomb, peak, seconds)
    assert not any(files for _, _, files in os.walk(dest)), bomb
PY
	assert_success
}

@test "grade-all refuses OUT in SUBMISSIONS and every other bad command line: exit 2, nothing done" {
	local subs=$BATS_TEST_TMPDIR/subs before line
	mkdir -p "$subs/ada"
	before=$(find "$BATS_TEST_TMPDIR" | sort)
	while IFS= read -r line; do
		local -a args
		read -r -a args <<<"$line"
		run "$KIT/grader/grade-all" "${args[@]}"
		assert_equal "$status" 2
		assert_output --regexp "^grade-all: "
		assert_equal "$(find "$BATS_TEST_TMPDIR" | sort)" "$before"
	done <<CASES
$subs $subs
$subs $subs/out
$subs $subs/ada/../out
$subs $BATS_TEST_TMPDIR
$subs
$subs $BATS_TEST_TMPDIR/o1 $BATS_TEST_TMPDIR/o2
-j 0 $subs $BATS_TEST_TMPDIR/out
-j two $subs $BATS_TEST_TMPDIR/out
--lab
--nosuch $subs $BATS_TEST_TMPDIR/out
$BATS_TEST_TMPDIR/nosuch $BATS_TEST_TMPDIR/out
CASES
}

@test "the class page is well-formed HTML with the distribution, every test and every student" {
	run python3 - "$GRADED/index.html" <<'PY'
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "img", "hr", "input", "link"}
class Check(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.text = [], []
    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)
    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"
    def handle_data(self, data):
        self.text.append(data)
c = Check()
c.feed(open(sys.argv[1]).read())
assert not c.stack, f"unclosed {c.stack}"
text = " ".join(c.text)
for want in ("Score distribution", "Pass rate per test", "Figure 12.5",
             "in6_is_addr_sitelocal agrees", "ada", "fay"):
    assert want in text, want
PY
	assert_success
}

@test "a lab folder that links to another student's folder is refused and scores zero" {
	run row gus
	assert_output "gus,0,0,36,"
	run grep "lies outside the submission" "$GRADED/gus/report.txt"
	assert_output --partial "01-addrclass/in6class.c lies outside the submission"
}

@test "a student file that is a symbolic link is refused, not followed" {
	mkdir -p "$BATS_TEST_TMPDIR/sub/01-addrclass"
	ln -s "$KIT/solutions/01-addrclass/in6class.c" "$BATS_TEST_TMPDIR/sub/01-addrclass/in6class.c"
	cp "$KIT/solutions/01-addrclass/addrclass.c" "$BATS_TEST_TMPDIR/sub/01-addrclass/"
	grade_submission "$BATS_TEST_TMPDIR/sub" 01
	assert_failure
	assert_output --partial "in6class.c is a symbolic link"
}

@test "the handout has no solutions and no hidden tests, and grades the skeletons on its own" {
	cd "$BATS_TEST_TMPDIR"
	run "$KIT/grader/mkhandout" dist
	assert_success
	tar -xzf dist/ipv6-labs.tar.gz
	[[ ! -e ipv6-labs/solutions && ! -e ipv6-labs/grader/tests ]]
	run grep -rlE -e '^\s*/\* BEGIN SOLUTION' -e '^# bats test_tags=.*hidden' ipv6-labs/labs ipv6-labs/grader/suites
	assert_output ""
	run timeout 600 make -C ipv6-labs grade LAB=01
	assert_failure
	assert_line --regexp '^Score: 0/[1-9][0-9]*$'
	refute_output --partial "long standard input"
}
