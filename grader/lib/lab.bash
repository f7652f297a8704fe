# lab.bash - what every lab suite loads (`load ../lib/lab`).
#
# The grader (grader/grade) runs each suite with:
#   GRADER    the kit's grader/ directory
#   LAB_DIR   the lab, built: the kit's provided files plus the student's
#   LAB_WORK  this lab's results: logs, servers' output (in the grader's OUT),
#             and worth.txt, the names of the tests worth points
#   LAB_BUILD where the labs are built and run (see grader/grade): drivers
#             go to drivers/LAB, the suites' fixtures are copied in suites/
#   LABNET    the lab network, when the suite needs one (see net.bash)
#
# Student programs run only through the functions below, so that each one
# runs under `timeout` and valgrind and leaves its log in $LAB_WORK/valgrind
# for the suite's last test, `assert_valgrind_clean`.

bats_require_minimum_version 1.5.0
# The grader hands every test these libraries already loaded (see
# lib/assertions); a suite run by bats alone loads them here.
if ! declare -F assert_output >/dev/null; then
	bats_load_library bats-support
	bats_load_library bats-assert
fi
# shellcheck source=grader/lib/net.bash
source "${BASH_SOURCE[0]%/*}/net.bash"

# Seconds a student program may run before it is stopped (then killed
# STUDENT_GRACE seconds later); a suite may lower it for one command:
# STUDENT_TIMEOUT=3 student ...
: "${STUDENT_TIMEOUT:=10}"
STUDENT_GRACE=2

VALGRIND_LOGS=$LAB_WORK/valgrind
[[ -d $VALGRIND_LOGS ]] || mkdir -p "$VALGRIND_LOGS"

# Without bats' DEBUG trap, which records a stack trace at every command
# (a third of a millisecond each here: most of the suites' own CPU) for
# the failure locations of bats' output, which the report leaves out (see
# BATS_LOCATION in report.py): for setup_file and teardown_file here, as
# bats loads the suite after setting the trap; for each test in setup,
# as bats sets it again after loading the suite.  A suite's own setup
# calls lab_setup first.
trap - DEBUG
lab_setup() {
	trap - DEBUG
}
setup() {
	lab_setup
}

# Called by bats after each test: remembers which tests passed (a skipped
# test, one not graded here too, did not), so that the valgrind test knows
# whether anything was really exercised.
teardown() {
	if [[ ${BATS_TEST_COMPLETED:-} == 1 && -z ${BATS_TEST_SKIPPED:-} ]]; then
		echo "$BATS_TEST_DESCRIPTION" >>"$LAB_WORK/passed.txt"
	fi
}

# The sandbox (tools/confine, built when stale), and the descriptor it
# gives valgrind's log: one the program under valgrind cannot write (the
# driver finds it once).
CONFINE=$LAB_GRADER_ROOT/tools/confine
lab_tool confine >/dev/null
: "${SANDBOX_LOG_FD:=$("$CONFINE" --log-fd)}"
# Of what a student program writes on stdout and on stderr, the first MiB
# is kept; the rest is read and dropped, so that a flood neither fills
# memory nor blocks the program.
OUTPUT_CAP=1048576

# _student_cmd [--on HOST] [--dns MODE] PROG [ARG...]: puts in the array
# `cmd` the command line that runs PROG (a name in $LAB_DIR, or a path)
# under timeout, the sandbox and valgrind, on HOST of the lab network if
# given (otherwise with no network at all), and in `cgroup` the sandbox's
# name for it.  The programs PROG starts (exec) run under valgrind too, so
# that none runs outside it, where the log's descriptor could be written.
# `timeout` comes first so that stopping it stops everything it started.
# The valgrind log gets a .what file naming the test and the command.
_student_cmd() {
	local host="" dns=()
	while [[ $1 == --* ]]; do
		case $1 in
		--on) host=$2; shift ;;
		--dns) dns=(--dns "$2"); shift ;;
		*) echo "_student_cmd: unknown option $1" >&2; return 2 ;;
		esac
		shift
	done
	local prog=$1
	shift
	[[ $prog == */* ]] || prog=$LAB_DIR/$prog
	if [[ ! -x $prog ]]; then
		echo "${prog##*/} was not built (see the build stage above)" >&2
		return 127
	fi
	cgroup=${GRADE_ID:-bats$$}/t$BATS_TEST_NUMBER-$BASHPID-$RANDOM
	local log=$VALGRIND_LOGS/${cgroup##*/}-${prog##*/}.log
	printf 'test %s "%s": %s\n' "$BATS_TEST_NUMBER" "$BATS_TEST_DESCRIPTION" \
		"${prog##*/} $*" >"${log%.log}.what"
	cmd=(timeout -k "$STUDENT_GRACE" "$STUDENT_TIMEOUT")
	if [[ -n $host ]]; then
		local ON
		lab_on "${dns[@]}" "$host" || return
		cmd+=("${ON[@]}" "$CONFINE")
	else
		cmd+=("$CONFINE" --no-net)
	fi
	[[ -z ${SANDBOX_LINKER_DEBUG:-} ]] || cmd+=(--debug "$SANDBOX_LINKER_DEBUG")
	cmd+=(--cap "$OUTPUT_CAP" --log "$log" --build "$LAB_BUILD" "$cgroup"
		valgrind --leak-check=full "--show-leak-kinds=definite,indirect"
		"--errors-for-leak-kinds=definite,indirect" --track-fds=yes
		--child-silent-after-fork=no --trace-children=yes "--log-fd=$SANDBOX_LOG_FD" "$prog" "$@")
}

# student [--on HOST] [--dns MODE] PROG [ARG...]: runs a student program,
# here or on a host of the lab network.  Use it under `run`; a program
# stopped by the timeout exits 124.  Whatever it leaves running is killed
# (the sandbox's PID namespace ends with it).
student() {
	local cmd cgroup
	_student_cmd "$@" || return
	"${cmd[@]}"
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
	# A server is stopped by stop_student: it has 10 s from then to end,
	# valgrind's check of its memory included, however busy the machine.
	local name=$1 cmd cgroup STUDENT_GRACE=10
	shift
	_student_cmd "$@" || return
	"${cmd[@]}" >"$LAB_WORK/$name.out" 2>"$LAB_WORK/$name.err" 3>&- &
	echo "$! $cgroup" >"$LAB_WORK/$name.pid"
}

# stop_student NAME: SIGTERM to a program started by student_bg (SIGKILL
# follows 10 s later if it is still there: see student_bg), then kills whatever it left;
# returns its exit status, or 0 when it was started by another shell
# (setup_file) and cannot be waited for.
stop_student() {
	local pid cgroup status=0
	read -r pid cgroup <"$LAB_WORK/$1.pid"
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || status=$?
	if ((status == 127)); then
		status=0
		while kill -0 "$pid" 2>/dev/null; do nap 0.05; done
	fi
	# What a sandbox that was killed left (its cgroup) goes too.
	"$CONFINE" --reap "$cgroup"
	return "$status"
}

# build_driver NAME SOURCE... : compiles a grader driver (fixtures of the
# suite, in $GRADER/suites/LAB/) with the student's sources, in the sandbox
# (student code is compiled like it runs); prints the driver's path.  Built
# once per lab run; a failure is remembered and its compiler messages shown
# to every test that needs the driver.
build_driver() {
	local name=$1 out=$LAB_BUILD/drivers/${LAB_DIR##*/}/$1 tmp src sources=()
	shift
	# The fixtures are compiled from the copy the user of the sandbox can read.
	for src; do
		sources+=("${src/#"$GRADER/suites/"/"$LAB_BUILD/suites/"}")
	done
	if [[ ! -x $out && ! -e $out.failed ]]; then
		tmp=$(mktemp -d "$LAB_BUILD/driver.XXXXXX")
		((EUID != 0)) || chown "$(stat -c %U "$LAB_DIR")" "$tmp"
		if "$CONFINE" --no-net --build "$LAB_BUILD" --writable "${GRADE_ID:-bats$$}/build-${LAB_DIR##*/}-$name" \
			timeout -k 2 60 cc -std=c11 -Wall -Wextra -Werror -g -I"$LAB_DIR" \
			-I"$LAB_DIR/../common" -o "$tmp/$name" "${sources[@]}" "$LAB_DIR/../common/labutil.c" \
			>"$tmp/log" 2>&1; then
			cp "$tmp/$name" "$out"
		else
			{ echo "the grader's $name driver does not build with your code:"; head -c 65536 "$tmp/log"; } >"$out.failed"
		fi
		rm -rf "$tmp"
	fi
	if [[ -e $out.failed ]]; then
		cat "$out.failed" >&2
		return 1
	fi
	echo "$out"
}

# kit_program NAME: prints the path, in $LAB_BUILD where the sandbox sees
# it, of the grader's program NAME, which holds no student code (a judge
# that runs the student's code as its child): built once with the tools
# (grader/tools/Makefile), copied here once per lab run.
kit_program() {
	local out=$LAB_BUILD/drivers/${LAB_DIR##*/}/$1 tool
	if [[ ! -x $out ]]; then
		tool=$(lab_tool "$1") && cp "$tool" "$out" || return
	fi
	echo "$out"
}

# assert_valgrind_clean: the body of every suite's last test.  Passes when
# every student process of the lab ran clean under valgrind, and at least
# one test worth points passed (a program that does nothing yet has
# nothing for valgrind to check).  The driver lists the tests worth points
# in $LAB_WORK/worth.txt.
assert_valgrind_clean() {
	[[ -e $LAB_WORK/worth.txt ]] || fail "no $LAB_WORK/worth.txt: grader/grade writes it"
	if ! grep -qxF -f "$LAB_WORK/worth.txt" "$LAB_WORK/passed.txt" 2>/dev/null; then
		fail "no test of this lab worth points passed yet, so valgrind has checked nothing worth a grade"
	fi
	run python3 -S "$GRADER/lib/vgcheck.py" "$VALGRIND_LOGS"
	assert_success
}

# graded_here NEED...: skips the test as not graded here when the lab
# network's backend cannot build what it needs (host names, ipv6,
# firewall: see lab_unbuildable in net.bash); the report then leaves the
# test out of the score and says why.  In setup_file, the whole suite.
graded_here() {
	local why
	if why=$(lab_unbuildable "$@"); then
		skip "not graded here: $why"
	fi
}

# observe_cell FIGURE PROTO ROW ROW_INDEX COLUMN COLUMN_INDEX EXPECTED OBSERVED:
# records that this test checks one cell of a figure (the interop lab's
# Figure 12.5: PROTO "TCP", ROW "IPv6 client on dscli", COLUMN "ds4srv",
# the book's EXPECTED and what the grader itself OBSERVED, "IPv4", "no",
# ...; the indexes give the figure's order), as one JSON line of
# $LAB_WORK/cells.jsonl, which the report reads.  Never pass it a
# student's claim.
observe_cell() {
	local names=(test figure proto row row_index column column_index expected observed)
	local values=("$BATS_TEST_DESCRIPTION" "$@") i text line=""
	for i in "${!names[@]}"; do
		text=${values[i]//\\/\\\\}
		line+="${line:+, }\"${names[i]}\": \"${text//\"/\\\"}\""
	done
	echo "{$line}" >>"$LAB_WORK/cells.jsonl"
}
