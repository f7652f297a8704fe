#!/usr/bin/env bats
# The kit itself: the handout, the suites, the scripts, and the grader run
# against the reference solutions and against the untouched handout.

load meta

setup_file() {
	export GRADED=$BATS_FILE_TMPDIR
	# Each grades every lab once; the tests below read what they wrote.
	timeout -k 5 900 "$KIT/grader/grade" --submission "$KIT/solutions" \
		--out "$GRADED/solutions" >"$GRADED/solutions.log" 2>&1 || true
	timeout -k 5 900 "$KIT/grader/grade" --submission "$KIT/labs" \
		--out "$GRADED/labs" >"$GRADED/labs.log" 2>&1 || true
}

# The tests worth points that results.json (of solutions or labs) marks
# STATUS, one a line.  (A few interop cells, where only the kit's own IPv4
# programs talk, are shown in the figure but worth nothing.)
tests_with_status() {
	python3 -c '
import json, sys
for t in json.load(open(sys.argv[1]))["tests"]:
    if t["status"] == sys.argv[2] and t["max_score"] > 0:
        print(t["name"])
' "$GRADED/$1/results.json" "$2"
}

@test "labs/ is exactly what make labs writes from solutions/" {
	cd "$KIT"
	run grader/mklabs --check
	assert_success
}

@test "every lab suite gives each test its points and ends with the valgrind test" {
	run python3 "$KIT/grader/lib/report.py" check "$KIT"/grader/suites/[0-9][0-9]-*.bats
	assert_success
}

@test "every shell script of the kit passes shellcheck" {
	cd "$KIT"
	local scripts
	mapfile -t scripts < <(grep -rlE '^#!/usr/bin/env (bash|bats)' grader docker .ci; ls grader/lib/*.bash grader/tests/*.bash)
	run shellcheck -x -s bash "${scripts[@]}"
	assert_success
}

@test "the handout and the reference build without a warning under gcc and clang" {
	local cc dir
	for cc in gcc clang; do
		for dir in labs solutions; do
			rm -rf "${BATS_TEST_TMPDIR:?}/$dir"
			cp -r "$KIT/$dir" "$BATS_TEST_TMPDIR/$dir"
			for lab in "$BATS_TEST_TMPDIR/$dir"/[0-9][0-9]-*/; do
				run make -s -C "$lab" clean all CC="$cc"
				assert_success
			done
		done
	done
}

@test "the grader gives the reference solutions full marks" {
	run cat "$GRADED/solutions.log"
	assert_line --regexp '^Score: ([0-9]+)/\1$'
	run tests_with_status solutions failed
	assert_output ""
}

@test "the grader builds the untouched handout and fails every test worth points, without a hang" {
	run cat "$GRADED/labs.log"
	refute_line --partial "DOES NOT BUILD"
	assert_line --regexp '^Score: 0/[1-9][0-9]*$'
	run tests_with_status labs passed
	assert_output ""
}

@test "results.json has the fields Gradescope reads, and junit.xml is well-formed XML" {
	run python3 - "$GRADED/solutions" <<'PY'
import json, sys, xml.etree.ElementTree as ET
out = sys.argv[1]
r = json.load(open(f"{out}/results.json"))
assert isinstance(r["score"], (int, float)) and isinstance(r["execution_time"], (int, float)), r
assert r["tests"], "no tests"
for t in r["tests"]:
    assert set(t) >= {"name", "score", "max_score", "status", "output", "visibility"}, t
    assert t["status"] in ("passed", "failed") and t["visibility"] == "visible", t
assert r["score"] == sum(t["score"] for t in r["tests"])
root = ET.parse(f"{out}/junit.xml").getroot()
assert root.tag == "testsuites" and int(root.get("tests")) == len(r["tests"])
PY
	assert_success
}

@test "report.txt holds what the terminal showed, without colour codes" {
	run diff <(grep -vE '^(Reports|Logs): ' "$GRADED/solutions.log") "$GRADED/solutions/report.txt"
	assert_success
	run grep -c $'\e' "$GRADED/solutions/report.txt"
	assert_output 0
}

@test "a lab is chosen by number or by name, and an unknown lab is a usage error" {
	run "$KIT/grader/grade" --lab nosuchlab
	assert_equal "$status" 2
	assert_output --partial "no lab called 'nosuchlab'"
	grade_submission "$KIT/solutions" addrclass --filter 'agrees with IN6_IS_ADDR_LOOPBACK'
	assert_success
	assert_line "Score: 2/2"
}

@test "a daemon the kit starts (dockerd by docker/engine) keeps only descriptors 0-2, not its starter's lock" {
	grep -q '^[[:space:]]*start_daemon [^ ]* dockerd ' "$KIT/docker/engine" || fail "docker/engine does not start dockerd with start_daemon"
	. "$KIT/grader/lib/daemon.bash"
	exec 7>"$BATS_TEST_TMPDIR/lock"
	flock 7
	start_daemon "$BATS_TEST_TMPDIR/daemon.log" sleep 60
	exec 7>&-
	local i fds
	for ((i = 0; i < 50; i++)); do
		[[ $(cat "/proc/$DAEMON_PID/comm") == sleep ]] && break
		sleep 0.1
	done
	fds=$(ls "/proc/$DAEMON_PID/fd")
	run flock -n "$BATS_TEST_TMPDIR/lock" true
	kill "$DAEMON_PID"
	assert_success
	assert_equal "$(echo "$fds" | tr '\n' ' ')" "0 1 2 "
}

@test "a submission without a student file fails to build and says which file is missing" {
	mkdir -p "$BATS_TEST_TMPDIR/sub/01-addrclass"
	cp "$KIT/solutions/01-addrclass/in6class.c" "$BATS_TEST_TMPDIR/sub/01-addrclass/"
	grade_submission "$BATS_TEST_TMPDIR/sub" 01
	assert_failure
	assert_output --partial "01-addrclass/addrclass.c is missing from the submission"
}

@test "the report shows Figure 12.5 as the book prints it, every cell observed as the book says" {
	run grep -c '^Figure 12.5 as observed, \(TCP\|UDP\)' "$GRADED/solutions.log"
	assert_output 2
	run cat "$GRADED/solutions.log"
	assert_line "                     | v4srv  | v6srv  |      ds4srv      | ds6srv | ds6srv(-6)"
	assert_line "IPv4 client on v4cli | IPv4 + |  no +  |      IPv4 +      | IPv4 + |    no +"
	assert_line "IPv6 client on v6cli |  no +  | IPv6 + |       no +       | IPv6 + |   IPv6 +"
	assert_line "IPv6 client on dscli | IPv4 + | IPv6 + | no*, then IPv4 + | IPv6 + |   IPv6 +"
	refute_output --regexp '\| +[^|]* X +\|'
}

@test "the report shows the view with NAT64/DNS64: the IPv6-only client's (no) cells, IPv6 at the client and IPv4 at the server" {
	run grep -c '^Figure 12.5 with NAT64/DNS64 as observed, \(TCP\|UDP\)' "$GRADED/solutions.log"
	assert_output 2
	run cat "$GRADED/solutions.log"
	assert_line "                     |     v4srv      |     ds4srv"
	assert_line "IPv6 client on v6cli | IPv6 to IPv4 + | IPv6 to IPv4 +"
}

@test "the class page shows each cell of Figure 12.5 and of its view with NAT64/DNS64 with the share of the class that got it" {
	local class=$BATS_TEST_TMPDIR/class
	mkdir -p "$class/ann" "$class/ben"
	cp "$GRADED/solutions/results.json" "$class/ann/"
	cp "$GRADED/labs/results.json" "$class/ben/"
	run python3 "$KIT/grader/lib/gradebook.py" "$class"
	assert_success
	run python3 - "$class/index.html" <<'PY'
import re, sys
page = open(sys.argv[1]).read()
figure = page[page.index("Figure 12.5, TCP"):page.index("Figure 12.5 with NAT64/DNS64, TCP")]
cells = re.findall(r">(\d+)%</td>", figure)
assert len(cells) == 2 * 4 * 5, len(cells)
view = page[page.index("Figure 12.5 with NAT64/DNS64, TCP"):page.index("Pass rate per test")]
assert len(re.findall(r">(\d+)%</td>", view)) == 2 * 1 * 2, view
print(sorted(set(cells)))
PY
	assert_output "['100', '50']"
}
