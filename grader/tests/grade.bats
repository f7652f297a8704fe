#!/usr/bin/env bats
# grader/grade at its edges: what a command line may hold, what a stop
# leaves, what a submission's links and a program's bytes can do to it.

load meta

# What a run of grade leaves behind when it is gone: its build folder,
# its cgroups and its networks (all named by its GRADE_ID, here g$1).
left_by() {
	ls -d /tmp/ipv6lab-g"$1".* 2>/dev/null || true
	find /sys/fs/cgroup -path "*/ipv6lab/g$1" 2>/dev/null || true
	ip netns list | grep "^g$1-" || true
}

@test "a lab named twice is graded once" {
	grade_submission "$KIT/solutions" 01,addrclass --filter 'agrees with IN6_IS_ADDR_LOOPBACK'
	assert_success
	assert_line "Score: 2/2"
	run grep -c '"name"' "$BATS_TEST_TMPDIR/out/results.json"
	assert_output 1
}

@test "a bad --lab, --filter or --out is a usage error with no side effect" {
	cd "$BATS_TEST_TMPDIR"
	touch 01-addrclass
	run "$KIT/grader/grade" --lab '0*'
	assert_equal "$status" 2
	assert_output --partial "no lab called '0*'"
	run "$KIT/grader/grade" --lab 01 --filter '('
	assert_equal "$status" 2
	assert_output --partial "not a valid regular expression"
	refute_output --partial "Traceback"
	mkdir -p home/work
	touch home/notes.txt home/work/thesis.tex
	run "$KIT/grader/grade" --lab 01 --out home
	assert_equal "$status" 2
	assert_output --partial "holds files grade did not write"
	[[ -e home/work/thesis.tex ]]
}

@test "make grade takes LAB, FILTER and OUT as data, never as commands" {
	cd "$KIT"
	run make grade LAB="x'; touch $BATS_TEST_TMPDIR/pwned; echo '"
	assert_failure
	assert_output --partial "no lab called"
	[[ ! -e $BATS_TEST_TMPDIR/pwned ]]
}

@test "a lab folder that is a link to another student's folder is refused" {
	mkdir -p "$BATS_TEST_TMPDIR/other" "$BATS_TEST_TMPDIR/sub"
	cp -r "$KIT/solutions/01-addrclass" "$BATS_TEST_TMPDIR/other/"
	ln -s ../other/01-addrclass "$BATS_TEST_TMPDIR/sub/01-addrclass"
	grade_submission "$BATS_TEST_TMPDIR/sub" 01
	assert_failure
	assert_output --partial "01-addrclass/in6class.c lies outside the submission"
	assert_line --regexp '^Score: 0/'
}

@test "make flags in the environment change nothing: MAKEFLAGS=w, -j4, -k, -s" {
	local flags
	for flags in w "-j4 -k" "-s --no-print-directory"; do
		MAKEFLAGS=$flags grade_submission "$KIT/solutions" 01 --filter 'LOOPBACK|command line'
		assert_success
		assert_line "Score: 5/5"
	done
}

# stop_grade SIGNAL TARGET: starts a grade of lab 02, sends SIGNAL to its
# PID (TARGET pid) or its process group (TARGET group) once its tests run,
# and checks that within 60 s nothing of it is left and no grade was
# written.
stop_grade() {
	local out=$BATS_TEST_TMPDIR/out pid tries=600
	setsid "$KIT/grader/grade" --lab 02 --submission "$KIT/solutions" --out "$out" \
		>"$BATS_TEST_TMPDIR/log" 2>&1 3>&- &
	pid=$!
	until grep -q '^2\. Testing' "$BATS_TEST_TMPDIR/log" && [[ -n $(left_by "$pid") ]]; do
		((tries-- > 0)) || fail "the grade never started its tests: $(cat "$BATS_TEST_TMPDIR/log")"
		sleep 0.1
	done
	sleep 1
	if [[ $2 == group ]]; then kill "-$1" -- "-$pid"; else kill "-$1" "$pid"; fi
	wait "$pid" || true
	tries=600
	while [[ -n $(left_by "$pid") ]]; do
		((tries-- > 0)) || fail "left behind: $(left_by "$pid")"
		sleep 0.1
	done
	[[ ! -e $out/results.json && ! -e $out/junit.xml ]] || fail "a stopped grade wrote a result"
}

@test "a grade stopped with TERM stops its tests, writes no grade and leaves nothing" {
	stop_grade TERM pid
	run cat "$BATS_TEST_TMPDIR/log"
	assert_line "Stopped: no grade was written."
}

@test "a grade killed with KILL leaves nothing behind and writes no grade" { stop_grade KILL pid; }
@test "a grade whose process group is killed leaves nothing behind" { stop_grade KILL group; }

@test "bytes that are not text, control characters and escapes reach every report escaped and valid" {
	make_hostile report-injection "$BATS_TEST_TMPDIR/sub"
	grade_submission "$BATS_TEST_TMPDIR/sub" 01
	assert_failure
	local out=$BATS_TEST_TMPDIR/out
	[[ $output != *$'\e'* && $output != *$'\r'* ]] || fail "an escape or a CR reached the terminal"
	run grep -cP '[\x00-\x08\x0b-\x1f\x7f]' "$out/report.txt"
	assert_output 0
	run python3 - "$out" <<'PY'
import json, re, sys, xml.etree.ElementTree as ET
out = sys.argv[1]
results = json.load(open(f"{out}/results.json", encoding="utf-8"))
shown = "\n".join(t["output"] for t in results["tests"])
shown.encode("utf-8")  # no lone surrogate
for escaped in (r"\x1b]0;graded\x07", r"all wrong\rall right", r"\u202e reversed"):
    assert escaped in shown, f"{escaped} not shown"
assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]", shown), "a raw control character"
ET.parse(f"{out}/junit.xml")
PY
	assert_success
}

@test "a grade-all stopped with TERM leaves no work folder, no half result and nothing running" {
	local class=$BATS_TEST_TMPDIR/class graded=$BATS_TEST_TMPDIR/graded pid tries=600
	mkdir -p "$class"
	cp -r "$KIT/solutions" "$class/ann"
	cp -r "$KIT/solutions" "$class/ben"
	export GRADE_TAG=stop$$-
	setsid "$KIT/grader/grade-all" -j 2 --lab 01 "$class" "$graded" >"$BATS_TEST_TMPDIR/log" 2>&1 3>&- &
	pid=$!
	until compgen -G "/tmp/ipv6lab-$GRADE_TAG*" >/dev/null; do
		((tries-- > 0)) || fail "grade-all never started a grade: $(cat "$BATS_TEST_TMPDIR/log")"
		sleep 0.1
	done
	sleep 2
	kill -TERM "$pid"
	wait "$pid" || true
	tries=300
	while compgen -G "/tmp/ipv6lab-$GRADE_TAG*" >/dev/null || pgrep -f "$graded" >/dev/null; do
		((tries-- > 0)) || fail "left running: $(pgrep -af "$graded")"
		sleep 0.1
	done
	run find "$graded" -mindepth 1 -maxdepth 4
	refute_output --partial ".work"
	refute_output --partial "gradebook.csv"
	[[ ! -e $graded/ann/results.json || -s $graded/ann/report.txt ]]
}
