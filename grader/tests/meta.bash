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

# failed_tests [RESULTS]: prints the names of the tests RESULTS (default:
# the last grade_submission's results.json) marks failed, one a line,
# sorted, without the "LAB: " prefix.
failed_tests() {
	python3 -c '
import json, sys
for t in json.load(open(sys.argv[1]))["tests"]:
    if t["status"] != "passed":
        print(t["name"].split(": ", 1)[1])
' "${1:-$BATS_TEST_TMPDIR/out/results.json}" | sort
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

# The hostile submissions (grader/tests/hostile/NAME.c): each file is what
# a student appended to one file of lab 01, with its expected outcome in
# its opening comment:
#   Into: addrclass.c | in6class.c     the file it goes into
#   Base: solutions | labs             where the lab's other files come from
#   Mode: replace                      replaces the file instead (@KIT@ in it
#                                      stands for the kit's folder, @COPY@
#                                      for $KIT_COPY, below)
#   Expect-score: N                    its score out of 36 (hidden tests too)
#   Expect-fail: NAME                  one line per test it must lose
#   Expect-build-fail                  or: the lab must not build
HOSTILE=$KIT/grader/tests/hostile

# Another copy of the kit's solutions on the machine, as an instructor's
# second checkout would be: outside the kit and /tmp, readable by anyone.
# make_hostile makes it for a case whose text names @COPY@; whoever calls
# make_hostile removes it when done (rm -rf "$KIT_COPY").
export KIT_COPY=${KIT_COPY:-/opt/ipv6lab-kit-copy.$$}

# hostile_field NAME KEY: the value of the case's "KEY:" line(s).
hostile_field() {
	sed -n "s/^ \* $2: //p" "$HOSTILE/$1.c"
}

# make_hostile NAME DIR: writes the submission of case NAME into DIR.
make_hostile() {
	local dest=$2/01-addrclass into
	into=$(hostile_field "$1" Into)
	mkdir -p "$dest"
	cp "$KIT/$(hostile_field "$1" Base)/01-addrclass/"{in6class,addrclass}.c "$dest/"
	if [[ $(hostile_field "$1" Mode) == replace ]]; then
		if grep -q @COPY@ "$HOSTILE/$1.c" && [[ ! -d $KIT_COPY ]]; then
			mkdir -p "$KIT_COPY"
			cp -r "$KIT/solutions/." "$KIT_COPY/"
			chmod -R a+rX "$KIT_COPY"
		fi
		sed -e "s|@KIT@|$KIT|g" -e "s|@COPY@|$KIT_COPY|g" "$HOSTILE/$1.c" >"$dest/$into"
	else
		cat "$HOSTILE/$1.c" >>"$dest/$into"
	fi
}

# check_hostile NAME: case NAME, graded by grade-all into $GRADED, got
# exactly its expected score and lost exactly its expected tests.
check_hostile() {
	local score
	score=$(hostile_field "$1" Expect-score)
	[[ -n $score ]] || fail "$HOSTILE/$1.c has no Expect-score: line"
	run grep "^$1," "$GRADED/gradebook.csv"
	assert_output "$1,$score,$score,36,"
	if grep -q '^ \* Expect-build-fail$' "$HOSTILE/$1.c"; then
		run grep -c "DOES NOT BUILD" "$GRADED/$1/report.txt"
		assert_output 1
	else
		run failed_tests "$GRADED/$1/results.json"
		assert_output "$(hostile_field "$1" Expect-fail | sort)"
	fi
}
