#!/usr/bin/env bats
# The lab 04-gni-timeo grader against broken getnameinfo_timeo solutions:
# each loses exactly the tests its patch's Expect-fail lines name.

load meta

@test "a grader that meets alarm() with a handler that only returns loses exactly the timeout tests and valgrind (the hung calls are killed)" { check_broken 04-gni-timeo/alarm-returns; }

@test "a grader that meets an inverted NI_NAMEREQD test loses exactly the timeout tests" { check_broken 04-gni-timeo/namereqd-inverted; }

@test "a grader that meets inet_ntop given the socket address loses exactly the numeric-text tests" { check_broken 04-gni-timeo/ntop-sockaddr; }

@test "a grader that meets an alarm left armed after an answer in time loses exactly the test of the caller's alarm after such an answer" { check_broken 04-gni-timeo/alarm-left-armed; }

@test "a grader that meets a child left unreaped after each timeout loses exactly the leftovers test" { check_broken 04-gni-timeo/leaked-child; }

@test "a grader that meets a pipe left open after each answer loses exactly the leftovers and valgrind tests" { check_broken 04-gni-timeo/leaked-fd; }

@test "a grader that meets a submission printing verdicts of its own, before main and in every call, believes none of them and fails every test" { check_broken 04-gni-timeo/fake-verdicts; }

@test "a grader that meets the untouched skeleton builds it, fails every test, and does not hang" {
	grade_submission "$KIT/labs" 04-gni-timeo
	assert_failure
	run python3 -c '
import json, sys
tests = json.load(open(sys.argv[1]))["tests"]
print(sum(t["status"] == "passed" for t in tests), len(tests))
' "$BATS_TEST_TMPDIR/out/results.json"
	assert_output --regexp '^0 [1-9][0-9]*$'
}
