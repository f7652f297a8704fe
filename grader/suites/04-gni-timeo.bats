#!/usr/bin/env bats
# Lab 04-gni-timeo: getnameinfo_timeo against a DNS server that answers, one that answers late, one that never answers.
#
# Hidden tests (tagged hidden, run by grade-all, not by make grade) check
# only what the lab's README or its skeleton's TODO comments ask for:
# harder cases of the behaviour stated there, never behaviour they leave
# unsaid.
# network: yes
# waits: yes
# (Most of its time is spent waiting on DNS timeouts: the grader runs it
# beside the other labs, on top of the ones it runs for the cores.)
#
# The grader's driver (04-gni-timeo/gnidriver.c) and its worker (gniworker.c,
# built with the student's gni_timeo.c) make the calls, time each one and
# judge each case.
# It runs on dscli under valgrind, once per DNS server: one that answers at
# once, one that never answers, one that answers 3 s late.  setup_file
# starts the three runs side by side, since most of their time is waiting;
# each test then reads the verdict of its case.  The tests of the answered
# calls come last: their run is niced and ends last, and the other tests
# are reported while it goes on.
#
# The time limits, and why:
# - DNS that never answers: nsec 1 s.  A call that times out must return
#   after 0.9 to 5 s (nsec - 0.1 s to nsec + 4 s: EARLY and SLACK in
#   gnidriver.c).  The 4 s of slack are generous on purpose: the call runs
#   under valgrind, beside the other runs, on a machine that may be busy,
#   and there forking the lookup and reaping it was seen to take up to
#   4.6 s on top of nsec (0.3 s on a quiet machine).  They still tell right
#   from wrong by far: the driver makes the resolver wait 20 s (5 s times
#   4 attempts), so a call that does not time out is stopped at 6 s still
#   waiting.  Plain getnameinfo must still be blocked after 6 s, or the DNS
#   server, not the student, is at fault.
# - DNS 3 s late: with nsec 12 the answer comes well in time and the name
#   must come back (valgrind was seen to add up to 6 s to such a lookup on
#   a busy machine); with nsec 1 it comes at three times the limit, 2 s
#   after a right call has given up: the address as text.
# - DNS that answers at once: nsec 10, five times the longest such call
#   seen on a busy machine, and twenty times the usual.  These calls cost
#   CPU rather than time, so their run is niced, to leave the CPU to the
#   runs whose timing matters.

# Verdicts come from the driver alone: the student's code runs in its
# worker program (gniworker.c), whose stdout is /dev/null, and each verdict
# line carries a token that this suite hands the driver on stdin once per
# run (see gnidriver.c); lines without it are ignored.

load ../lib/lab

FIXTURES=$BATS_TEST_DIRNAME/04-gni-timeo
# A run's bound: the driver stops any call that runs past its time, so only
# a submission whose every call hangs (or a stuck driver) meets it.
BATCH_TIMEOUT=90

# The driver and its worker, built with the student's code (once; a failure
# is shown by every test); prints the driver's command.
driver() {
	local judge worker
	judge=$(kit_program gnidriver) &&
		worker=$(build_driver gniworker "$FIXTURES/gniworker.c" "$FIXTURES/gnicase.c" \
			"$LAB_DIR/gni_timeo.c") || return 1
	printf '%s\n' "$judge" -W "$worker"
}

# run_batch NAME MODE DRIVER_ARG...: runs the driver on dscli with DNS
# server MODE in the background, with a fresh token on its stdin: its
# verdicts go to $LAB_WORK/NAME.out, its exit status to NAME.status when it
# is over.
run_batch() {
	local name=$1 mode=$2 prog token
	shift 2
	mapfile -t prog < <(driver 2>/dev/null)
	((${#prog[@]} == 3)) || return 0
	token=$(printf '%08x%08x%08x' "$SRANDOM" "$SRANDOM" "$SRANDOM")
	echo "$token" >"$BATS_FILE_TMPDIR/$name.token"
	(
		status=0
		BATS_TEST_NUMBER=$name BATS_TEST_DESCRIPTION="setup: the driver with DNS $mode" \
			STUDENT_TIMEOUT=$BATCH_TIMEOUT student --on dscli --dns "$mode" \
			"${prog[@]}" "$@" \
			<<<"$token" >"$LAB_WORK/$name.out" 2>"$LAB_WORK/$name.err" || status=$?
		echo "$status" >"$LAB_WORK/$name.status"
	) 3>&- &
}

setup_file() {
	require_net
	rm -f "$LAB_WORK"/batch-*
	local v4 v6 ds4 v4name v6name ds4name
	v4=$(host_addr v4srv inet) v6=$(host_addr v6srv inet6) ds4=$(host_addr ds4srv inet)
	v4name=$(host_fqdn v4srv) v6name=$(host_fqdn v6srv) ds4name=$(host_fqdn ds4srv)

	# Cases: LABEL=KIND,NSEC,WHEN,ADDR,EXPECT (see gnidriver.c), the longest
	# first.  Calls answered at once cost CPU, not time: one at a time.
	run_batch batch-fast fast -j 1 -n 10 -w "$v4" \
		"many=many5,10,soon,$v4,$v4name" \
		"survive=survive,10,soon,$v4,$v4name" \
		"name4=call,10,soon,$v4,$v4name" \
		"name6=call,10,soon,$v6,$v6name" \
		"mapped=call,10,soon,::ffff:$ds4,$ds4name" \
		"numerichost=numerichost,10,soon,$v4,numeric" \
		"numericserv=numericserv,10,soon,$v4,$v4name" \
		"smallhost=smallhost,10,soon,$v4,EAI_OVERFLOW"
	# Calls that time out mostly wait: three at once (one of them the
	# contrast, which only waits).
	run_batch batch-silent silent -j 3 -w "$v4" \
		"many=many3,1,late,$v4,numeric" \
		"survive=survive,1,late,::ffff:$ds4,numeric" \
		"contrast=contrast,1,blocks,$v4,-" \
		"num4=call,1,late,$v4,numeric" \
		"num6=call,1,late,$v6,numeric" \
		"mapped=call,1,late,::ffff:$ds4,numeric" \
		"namereqd=namereqd,1,late,$v4,EAI_AGAIN"
	run_batch batch-delay delay:3000 -j 3 -w "$v4" \
		"intime=call,12,soon,$v4,$v4name" \
		"nolimit=call,0,soon,$v6,$v6name" \
		"toolate=call,1,late,::ffff:$ds4,numeric"
}

# wait_batch NAME: waits until run NAME is over (it is bounded by the
# student timeout); fails when the driver does not build.
wait_batch() {
	if ! driver >/dev/null; then
		fail "the grader's driver does not build with your gni_timeo.c (above)"
		return 1
	fi
	local deadline=$((SECONDS + BATCH_TIMEOUT + 10))
	until [[ -e $LAB_WORK/$1.status ]]; do
		if ((SECONDS >= deadline)); then
			fail "the driver's $1 run never ended"
			return 1
		fi
		nap 0.05
	done
}

# verdict BATCH LABEL...: passes when every case LABEL of run BATCH was
# judged ok by the driver; prints the driver's line for each.  Only lines
# with the run's token count.
verdict() {
	local batch=$1 label line status token bad=0
	shift
	wait_batch "$batch" || return
	status=$(<"$LAB_WORK/$batch.status")
	token=$(<"$BATS_FILE_TMPDIR/$batch.token")
	for label; do
		line=$(grep -m 1 "^$token $label " "$LAB_WORK/$batch.out") || {
			echo "$label: no verdict: the driver's run ended with status $status" \
				"$( ((status == 124)) && echo "(stopped after $BATCH_TIMEOUT s: calls hung)")"
			sed -n '1,10s/^/  | /p' "$LAB_WORK/$batch.err"
			bad=1
			continue
		}
		line=${line#"$token "}
		echo "$line"
		[[ $line == "$label ok;"* ]] || bad=1
	done
	return "$bad"
}

# silent_verdict LABEL: verdict of a case run against the silent DNS server,
# which must also have made plain getnameinfo block (else the test proves
# nothing).
silent_verdict() {
	if ! verdict batch-silent contrast >/dev/null; then
		fail "$(verdict batch-silent contrast): the silent DNS server did not make getnameinfo block; the lab network is at fault, not your code"
		return 1
	fi
	verdict batch-silent "$1"
	echo "for contrast, plain getnameinfo: $(verdict batch-silent contrast)"
}

# points: 3
@test "a DNS server that never answers gives the IPv4 address as text after nsec seconds, where getnameinfo blocks" { silent_verdict num4; }

# points: 2
@test "a DNS server that never answers gives the IPv6 address as text after nsec seconds" { silent_verdict num6; }

# points: 2
@test "a DNS server that never answers gives an IPv4-mapped address as ::ffff:a.b.c.d after nsec seconds" { silent_verdict mapped; }

# points: 2
@test "with NI_NAMEREQD a DNS server that never answers gives EAI_AGAIN after nsec seconds" { silent_verdict namereqd; }

# points: 2
@test "the caller's SIGALRM handler, alarm and signal mask survive a call that timed out, and no alarm is left armed" { silent_verdict survive; }

# points: 2
@test "three calls that time out in a row leave no descriptor, thread or child process behind" { silent_verdict many; }

# points: 2
@test "a DNS answer well within the time limit (after 3 s of 12) gives the name" { verdict batch-delay intime; }

# points: 2
@test "a DNS answer at three times the time limit (3 s for 1) comes too late: the address as text after nsec seconds" { verdict batch-delay toolate; }

# points: 1
@test "with nsec 0 there is no time limit: a DNS answer after 3 s still gives the name" { verdict batch-delay nolimit; }

# points: 2
@test "the name of an IPv4 address comes back when the DNS server answers at once" { verdict batch-fast name4; }

# points: 2
@test "the name of an IPv6 address comes back when the DNS server answers at once" { verdict batch-fast name6; }

# points: 2
@test "the name of an IPv4-mapped IPv6 address comes back when the DNS server answers at once" { verdict batch-fast mapped; }

# points: 1
@test "with NI_NUMERICHOST the address comes back as text at once" { verdict batch-fast numerichost; }

# points: 1
@test "with NI_NUMERICSERV the port comes back as a number beside the host name" { verdict batch-fast numericserv; }

# points: 1
@test "a host buffer too small for the name gives EAI_OVERFLOW, as getnameinfo does" { verdict batch-fast smallhost; }

# points: 2
@test "the caller's SIGALRM handler, alarm and signal mask survive a call answered in time, and no alarm is left armed" { verdict batch-fast survive; }

# points: 2
@test "five calls answered in a row leave no descriptor, thread or child process behind" { verdict batch-fast many; }

# points: 2
@test "every getnameinfo_timeo run is clean under valgrind" {
	local batch
	for batch in batch-fast batch-silent batch-delay; do
		wait_batch "$batch"
	done
	assert_valgrind_clean
}
