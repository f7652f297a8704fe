# lab.bash - what every lab suite loads (`load ../lib/lab`).
#
# The grader (grader/grade) runs each suite with:
#   GRADER    the kit's grader/ directory
#   LAB_DIR   the lab, built: the kit's provided files plus the student's
#   LAB_WORK  scratch space for this lab's run (drivers, logs, servers)
#   LABNET    the lab network, when the suite needs one (see net.bash)
#
# Student programs run only through the functions below, so that each one
# runs under `timeout` and valgrind and leaves its log in $LAB_WORK/valgrind
# for the suite's last test, `assert_valgrind_clean`.

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert
# shellcheck source=grader/lib/net.bash
source "${BASH_SOURCE[0]%/*}/net.bash"

# Seconds a student program may run before it is stopped (then killed 2 s
# later); a suite may lower it for one command: STUDENT_TIMEOUT=3 student ...
: "${STUDENT_TIMEOUT:=10}"

VALGRIND_LOGS=$LAB_WORK/valgrind
mkdir -p "$VALGRIND_LOGS"

# Called by bats after each test: remembers which tests passed, so that the
# valgrind test knows whether anything was really exercised.
teardown() {
	if [[ ${BATS_TEST_COMPLETED:-} == 1 ]]; then
		touch "$LAB_WORK/passed.$BATS_TEST_NUMBER"
	fi
}

# _student_cmd [--on HOST] [--dns MODE] PROG [ARG...]: puts in the array
# `cmd` the command line that runs PROG (a name in $LAB_DIR, or a path)
# under timeout and valgrind, on HOST of the lab network if given, and in
# `note` a file naming the test and command, for _name_logs.
# `timeout` comes first so that stopping it stops everything it started.
_student_cmd() {
	local host="" dns=()
	while [[ $1 == --on || $1 == --dns ]]; do
		if [[ $1 == --on ]]; then host=$2; else dns=(--dns "$2"); fi
		shift 2
	done
	local prog=$1
	shift
	[[ $prog == */* ]] || prog=$LAB_DIR/$prog
	if [[ ! -x $prog ]]; then
		echo "${prog##*/} was not built (see the build stage above)" >&2
		return 127
	fi
	local log=$VALGRIND_LOGS/t$BATS_TEST_NUMBER-${prog##*/}
	note=$log.$BASHPID.note
	printf 'test %s "%s": %s\n' "$BATS_TEST_NUMBER" "$BATS_TEST_DESCRIPTION" \
		"${prog##*/} $*" >"$note"
	cmd=(timeout -k 2 "$STUDENT_TIMEOUT")
	[[ -z $host ]] || cmd+=("$GRADER/net" exec --net "$LABNET" "${dns[@]}" "$host")
	cmd+=(valgrind --leak-check=full "--show-leak-kinds=definite,indirect"
		"--errors-for-leak-kinds=definite,indirect" --track-fds=yes
		--child-silent-after-fork=no --log-file="$log.%p.log" "$prog" "$@")
}

# student [--on HOST] [--dns MODE] PROG [ARG...]: runs a student program,
# here or on a host of the lab network.  Use it under `run`; a program
# stopped by the timeout exits 124.
student() {
	local cmd note
	_student_cmd "$@" || return
	"${cmd[@]}"
	_name_logs "$note"
}

# show_stderr: after `run --separate-stderr student ...`, prints what the
# program wrote on stderr, which bats shows only if the test then fails.
show_stderr() {
	[[ -z ${stderr:-} ]] || printf 'its stderr:\n%s\n' "$stderr"
}

# student_bg NAME [--on HOST] PROG [ARG...]: starts a student program (a
# server) in the background; its output goes to $LAB_WORK/NAME.out and
# NAME.err.  Stop it with stop_student NAME.
student_bg() {
	local name=$1 cmd note
	shift
	_student_cmd "$@" || return
	"${cmd[@]}" >"$LAB_WORK/$name.out" 2>"$LAB_WORK/$name.err" 3>&- &
	echo "$! $note" >"$LAB_WORK/$name.pid"
}

# stop_student NAME: SIGTERM to a program started by student_bg (SIGKILL
# follows 2 s later if it is still there); returns its exit status, or 0
# when it was started by another shell (setup_file) and cannot be waited for.
stop_student() {
	local pid note status=0
	read -r pid note <"$LAB_WORK/$1.pid"
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || status=$?
	if ((status == 127)); then
		status=0
		while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
	fi
	(exit "$status")
	_name_logs "$note"
}

# _name_logs NOTE: copies the note written before a run to NAME.PID.what
# beside the log of every process the run produced, so each log says which
# test and command made it.  Keeps the exit status it was called with.
_name_logs() {
	local status=$? log
	for log in "${1%.*.note}".*.log; do
		[[ -e $log && ! -e ${log%.log}.what ]] && cp "$1" "${log%.log}.what"
	done
	rm -f "$1"
	return "$status"
}

# build_driver NAME SOURCE... : compiles a grader driver (fixtures of the
# suite, in $GRADER/suites/LAB/) with the student's sources; prints the
# driver's path.  Built once per lab run; a failure is remembered and its
# compiler messages shown to every test that needs the driver.
build_driver() {
	local name=$1 out=$LAB_WORK/$1
	shift
	if [[ ! -x $out && ! -e $out.failed ]]; then
		if ! cc -std=c11 -Wall -Wextra -Werror -g -I"$LAB_DIR" -I"$LAB_DIR/../common" \
			-o "$out" "$@" "$LAB_DIR/../common/labutil.c" >"$out.failed" 2>&1; then
			echo "the grader's $name driver does not build with your code:" \
				| cat - "$out.failed" >"$out.tmp" && mv "$out.tmp" "$out.failed"
		else
			rm -f "$out.failed"
		fi
	fi
	if [[ -e $out.failed ]]; then
		cat "$out.failed" >&2
		return 1
	fi
	echo "$out"
}

# assert_valgrind_clean: the body of every suite's last test.  Passes when
# every student process of the lab ran clean under valgrind, and at least
# one functional test passed (a program that does nothing yet has nothing
# for valgrind to check).
assert_valgrind_clean() {
	if ! compgen -G "$LAB_WORK/passed.*" >/dev/null; then
		fail "no test of this lab passed yet, so valgrind has checked nothing worth a grade"
	fi
	run python3 "$GRADER/lib/vgcheck.py" "$VALGRIND_LOGS"
	assert_success
}

# observe TEXT: records what the grader itself observed in this test (for
# the interop lab, which IP version carried the exchange: "IPv4", "IPv6",
# "no"), for the report's Figure 12.5.  Never pass it a student's claim.
observe() {
	printf '%s\t%s\n' "$BATS_TEST_DESCRIPTION" "$1" >>"$LAB_WORK/observed.tsv"
}
