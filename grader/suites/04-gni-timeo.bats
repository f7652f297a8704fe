#!/usr/bin/env bats
# Lab 04-gni-timeo: getnameinfo_timeo against a DNS server that answers, one that answers late, one that never answers.
# network: yes
#
# The grader's driver (04-gni-timeo/gnidriver.c, built with the student's
# gni_timeo.c) does the calls, times them itself and judges each case; it
# runs on dscli under valgrind, once per DNS server (fast, silent, delay:MS).
# setup_file starts the four runs side by side, since most of their time is
# waiting; each test then reads the verdict of its case from its run's
# output.  The time limits are 1 and 2 s, so the lab takes seconds.

load ../lib/lab

DRIVER_SRC=$BATS_TEST_DIRNAME/04-gni-timeo/gnidriver.c
# A run makes calls one after the other; a wrong solution may wait the
# resolver's whole timeout (2 s, see gnidriver.c) in each.
BATCH_TIMEOUT=30

# The driver, built with the student's code (once; a failure is shown by
# every test).
driver() {
	build_driver gnidriver "$DRIVER_SRC" "$LAB_DIR/gni_timeo.c"
}

# run_batch NAME MODE DRIVER_ARG...: runs the driver on dscli with DNS
# server MODE in the background: its verdicts go to $LAB_WORK/NAME.out, its
# exit status to NAME.status when it is over.
run_batch() {
	local name=$1 mode=$2 prog
	shift 2
	prog=$(driver 2>/dev/null) || return 0
	(
		status=0
		BATS_TEST_NUMBER=$name BATS_TEST_DESCRIPTION="setup: the driver with DNS $mode" \
			STUDENT_TIMEOUT=$BATCH_TIMEOUT student --on dscli --dns "$mode" "$prog" "$@" \
			>"$LAB_WORK/$name.out" 2>"$LAB_WORK/$name.err" || status=$?
		echo "$status" >"$LAB_WORK/$name.status"
	) 3>&- &
}

setup_file() {
	require_net
	rm -f "$LAB_WORK"/batch-*
	local v4 v6 ds4 v4name v6name ds4name
	v4=$(host_addr v4srv inet) v6=$(host_addr v6srv inet6) ds4=$(host_addr ds4srv inet)
	v4name=$(host_fqdn v4srv) v6name=$(host_fqdn v6srv) ds4name=$(host_fqdn ds4srv)

	# Cases: LABEL=KIND,NSEC,WHEN,ADDR,EXPECT (see gnidriver.c).  Calls
	# answered at once cost CPU, not time, under valgrind: one at a time.
	run_batch batch-fast fast -j 1 -w "$v4" \
		"name4=call,2,soon,$v4,$v4name" \
		"name6=call,2,soon,$v6,$v6name" \
		"mapped=call,2,soon,::ffff:$ds4,$ds4name" \
		"numerichost=numerichost,2,soon,$v4,numeric" \
		"numericserv=numericserv,2,soon,$v4,$v4name" \
		"smallhost=smallhost,2,soon,$v4,EAI_OVERFLOW" \
		"survive=survive,2,soon,$v4,$v4name" \
		"many=many3,2,soon,$v4,$v4name"
	# Calls that time out mostly wait, but a child under valgrind costs CPU
	# too: a few at once.
	run_batch batch-silent silent -j 3 \
		"contrast=contrast,0,blocks,$v4,-" \
		"num4=call,1,late,$v4,numeric" \
		"num6=call,1,late,$v6,numeric" \
		"mapped=call,1,late,::ffff:$ds4,numeric" \
		"namereqd=namereqd,1,late,$v4,EAI_AGAIN" \
		"survive=survive,1,late,$v4,numeric" \
		"many1=many2,1,late,$v4,numeric" "many2=many2,1,late,::ffff:$ds4,numeric"
	run_batch batch-delay1000 delay:1000 \
		"halfway=call,2,soon,$v4,$v4name" \
		"nolimit=call,0,soon,$v6,$v6name"
	run_batch batch-delay2000 delay:2000 \
		"twice=call,1,late,$v4,numeric"
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
		sleep 0.05
	done
}

# verdict BATCH LABEL...: passes when every case LABEL of run BATCH was
# judged ok by the driver; prints the driver's line for each.
verdict() {
	local batch=$1 label line status bad=0
	shift
	wait_batch "$batch"
	status=$(<"$LAB_WORK/$batch.status")
	for label; do
		line=$(grep -m 1 "^$label " "$LAB_WORK/$batch.out") || {
			echo "$label: no verdict: the driver's run ended with status $status" \
				"$( ((status == 124)) && echo "(stopped after $BATCH_TIMEOUT s: calls hung)")"
			sed -n '1,10s/^/  | /p' "$LAB_WORK/$batch.err"
			bad=1
			continue
		}
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
@test "the caller's SIGALRM handler, alarm and signal mask survive a call answered in time" { verdict batch-fast survive; }

# points: 2
@test "three calls answered in a row leave no descriptor, thread or child process behind" { verdict batch-fast many; }

# points: 3
@test "a DNS server that never answers gives the IPv4 address as text after nsec seconds, where getnameinfo blocks" { silent_verdict num4; }

# points: 2
@test "a DNS server that never answers gives the IPv6 address as text after nsec seconds" { silent_verdict num6; }

# points: 2
@test "a DNS server that never answers gives an IPv4-mapped address as ::ffff:a.b.c.d after nsec seconds" { silent_verdict mapped; }

# points: 2
@test "with NI_NAMEREQD a DNS server that never answers gives EAI_AGAIN after nsec seconds" { silent_verdict namereqd; }

# points: 2
@test "the caller's SIGALRM handler, alarm and signal mask survive a call that timed out" { silent_verdict survive; }

# points: 2
@test "four calls that time out, two in a row in each of two processes, leave no descriptor, thread or child process behind" { verdict batch-silent many1 many2; }

# points: 2
@test "a DNS answer after half the time limit gives the name" { verdict batch-delay1000 halfway; }

# points: 2
@test "a DNS answer after twice the time limit comes too late: the address as text after nsec seconds" { verdict batch-delay2000 twice; }

# points: 1
@test "with nsec 0 there is no time limit: a DNS answer after 1 s still gives the name" { verdict batch-delay1000 nolimit; }

# points: 2
@test "every getnameinfo_timeo run is clean under valgrind" {
	local batch
	for batch in batch-fast batch-silent batch-delay1000 batch-delay2000; do
		wait_batch "$batch"
	done
	assert_valgrind_clean
}
