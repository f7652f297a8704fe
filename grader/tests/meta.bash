# meta.bash - helpers for the kit's tests of its own grader (`load meta`).

bats_load_library bats-support
bats_load_library bats-assert

KIT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

# grade_submission DIR LAB [GRADE_ARG...]: grades DIR for LAB into
# $BATS_TEST_TMPDIR/out under `run`, bounded in time.
grade_submission() {
	local dir=$1 lab=$2
	shift 2
	run timeout -k 5 600 "$KIT/grader/grade" --lab "$lab" --submission "$dir" \
		--out "$BATS_TEST_TMPDIR/out" "$@"
}

# Prints the names of the tests results.json marks failed, one a line, sorted,
# without the "LAB: " prefix.
failed_tests() {
	python3 -c '
import json, sys
for t in json.load(open(sys.argv[1]))["tests"]:
    if t["status"] != "passed":
        print(t["name"].split(": ", 1)[1])
' "$BATS_TEST_TMPDIR/out/results.json" | sort
}

# check_broken LAB/VARIANT: grades the solutions with
# grader/tests/broken/LAB/VARIANT.patch applied, and checks that exactly the
# tests its "Expect-fail: NAME" lines list fail.
check_broken() {
	local patch=$BATS_TEST_DIRNAME/broken/$1.patch lab=${1%%/*}
	local sub=$BATS_TEST_TMPDIR/submission
	mkdir -p "$sub"
	cp -r "$KIT/solutions/." "$sub/"
	git -C "$sub" apply --unidiff-zero "$patch" || fail "$patch does not apply to solutions/$lab"
	grade_submission "$sub" "$lab"
	assert_failure
	local expected
	expected=$(sed -n 's/^Expect-fail: //p' "$patch" | sort)
	[[ -n $expected ]] || fail "$patch lists no Expect-fail: line"
	run failed_tests
	assert_output "$expected"
}
