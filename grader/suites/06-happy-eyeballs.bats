#!/usr/bin/env bats
# Lab 06-happy-eyeballs: hecli races IPv6 against IPv4 (RFC 8305) on paths the grader breaks on purpose.
#
# Hidden tests (tagged hidden, run by grade-all, not by make grade) check
# only what the lab's README or its skeleton's TODO comments ask for:
# harder cases of the behaviour stated there, never behaviour they leave
# unsaid.
# network: yes
# waits: yes
# (Most of its time is spent waiting: on dropped SYNs, the 250 ms delay,
# the 3 s give-up; the grader runs it beside the other labs, on top of
# the ones it runs for the cores.)
#
# hecli runs on dscli (dual stack) and asks ds6srv or ds4srv, which both
# have A and AAAA records.  The grader's own daytime server listens on PORT
# on each: on ds6srv an AF_INET6 one (IPv4 clients too), on ds4srv an
# AF_INET one, so that an IPv6 connect there is refused at once (a RST).
# On ds6srv the grader breaks a family on purpose with a firewall rule in
# the host's INPUT chain (iptables / ip6tables, in the host's own network
# namespace):
#
#   dropped   every SYN of that family to PORT is dropped, silently: the
#             client hears nothing, as behind a broken IPv6 path;
#   delayed   every IPv6 SYN to PORT goes to a netfilter queue (NFQUEUE)
#             where the grader's delayq (suites/06-happy-eyeballs/) holds
#             it 100 ms (or 400 ms) before letting it in: the SYN-ACK
#             comes that much later, as on a slow path;
#   lost once only the first IPv4 SYN is dropped (iptables' statistic
#             match); the client's kernel sends it again 1 s later (Linux's
#             initial SYN retransmission time), and that one is answered.
#
# There is no tc netem on the machines the kit runs on, and a user-space
# relay in front of the server would not delay the handshake (the host's
# kernel completes it before any program sees the connection): the delay
# has to hold the SYN itself, hence the queue.  "IPv6 delayed but working"
# is two tests: IPv6 100 ms late wins before the 250 ms delay, and IPv4 is
# never tried; IPv6 400 ms late, with IPv4 slower still (its first SYN
# lost), wins after IPv4 was started at 250 ms, which only a client that
# keeps its earlier attempts running sees.
#
# What happened is read from the server host, never from hecli: its packet
# counters (which family carried the exchange), its server's log (which
# address of dscli connected), and synwatch (suites/06-happy-eyeballs/), a
# packet socket on the server host that stamps every SYN to PORT, every
# SYN-ACK and every RST from it with the kernel's time stamp (of arrival,
# before the firewall drops anything, or of departure).  The timing bounds
# are differences between those stamps, so valgrind's start-up and a
# loaded machine do not enter them: with IPv6 dropped the IPv4 SYN must
# come 0.2 s to 1 s after the IPv6 one, and only one IPv6 SYN may arrive (a
# second would be the kernel's retransmission, 1 s after the first: the
# IPv6 attempt was still open after 1 s, as in a sequential loop, which
# waits for the IPv6 connect to time out before it tries IPv4); with IPv6
# refused, less than 0.2 s.  Only the give-up time is measured from the
# first SYN to the end of the run (EPOCHREALTIME, the stamps' clock), with
# room for valgrind's exit.

load ../lib/lab
load interop

PORT=1363

setup_file() {
	local peer watch delayq host
	# Where the network can drop no packet, none of this: the tests that
	# need it say so (hecli, firewall, delay_v6).
	! lab_unbuildable firewall >/dev/null || return 0
	peer=$(lab_tool daytimepeer) || return 0
	watch=$(lab_tool synwatch) || return 0
	delayq=$(lab_tool delayq) || return 0
	kit_bg ds6srv ds6srv "$peer" serve "$PORT"
	kit_bg ds4srv ds4srv "$peer" serve -4 "$PORT"
	for host in ds6srv ds4srv; do
		kit_bg "watch-$host" "$host" "$watch" "$PORT"
	done
	# Queue 1 holds packets 100 ms, queue 4 400 ms.
	kit_bg delay-100 ds6srv "$delayq" 1 100
	kit_bg delay-400 ds6srv "$delayq" 4 400
}

teardown_file() {
	local name
	unfirewall
	for name in ds6srv ds4srv watch-ds6srv watch-ds4srv delay-100 delay-400; do
		[[ ! -e $LAB_WORK/$name.pid ]] || kit_stop "$name"
	done
}

# Each test starts with no firewall rule left by an earlier one.
setup() {
	lab_setup
	unfirewall
}

# firewall v4|v6 MATCH...: adds a rule to ds6srv's INPUT chain for TCP to
# PORT, with MATCH (ending in -j DROP).  Hosts that cannot have firewall
# rules (a backend whose hosts lack NET_ADMIN or iptables) skip the test.
firewall() {
	local tool=iptables out
	graded_here firewall
	[[ $1 == v6 ]] && tool=ip6tables
	shift
	echo "$tool" >>"$LAB_WORK/firewalled"
	if ! out=$(on ds6srv "$tool" -w -I INPUT -p tcp --dport "$PORT" "$@" 2>&1); then
		[[ $LABNET_BACKEND == netns ]] ||
			skip "the $LABNET_BACKEND lab hosts cannot have firewall rules ($tool: ${out:-failed}), which this test needs"
		fail "cannot add a firewall rule on ds6srv ($tool -I INPUT ... $*): $out"
	fi
}

unfirewall() {
	local tool
	[[ -s $LAB_WORK/firewalled ]] || return 0
	while read -r tool; do
		on ds6srv "$tool" -w -F INPUT >/dev/null 2>&1 || true
	done < <(sort -u "$LAB_WORK/firewalled")
	rm -f "$LAB_WORK/firewalled"
}

# wait_ready NAME WHAT: the grader's program started as NAME (synwatch,
# delayq) has said "ready"; a backend whose hosts cannot give it what it
# needs (a packet socket, a netfilter queue) skips the test.
wait_ready() {
	local name=$1 tries=100
	until grep -q '^ready$' "$LAB_WORK/$name.out" 2>/dev/null; do
		if ((tries-- == 0)) || ! kill -0 "$(cut -d' ' -f1 "$LAB_WORK/$name.pid")" 2>/dev/null; then
			[[ $LABNET_BACKEND == netns ]] ||
				skip "the $LABNET_BACKEND lab hosts cannot $2 ($(head -n 1 "$LAB_WORK/$name.err")), which this test needs"
			echo "the grader's $name cannot $2:" >&2
			sed 's/^/    /' "$LAB_WORK/$name.err" >&2
			return 1
		fi
		nap 0.05
	done
}

# hecli SERVER [TIMEOUT]: hecli on dscli asks SERVER for the time, under
# `run --separate-stderr`, measured on SERVER (DV4, DV6, CARRIED); then
# WIRE holds what synwatch saw meanwhile ("TIME v4|v6 syn|synack|rst"
# lines), and T1 the time the run ended.
hecli() {
	local server=$1 i wfrom size last=""
	graded_here firewall
	wait_server "$server" "$server" "$PORT" tcp || return
	wait_ready "watch-$server" "watch packets" || return
	log_lines "$server" FROM
	log_lines "watch-$server" wfrom
	STUDENT_TIMEOUT=${2:-$STUDENT_TIMEOUT} measure "$server" run --separate-stderr \
		student --on dscli hecli "$(host_fqdn "$server")" "$PORT"
	T1=$EPOCHREALTIME
	# synwatch has read every packet once its output stops growing.
	for i in 1 2 3 4 5 6 7 8 9 10; do
		size=$(stat -c %s "$LAB_WORK/watch-$server.out")
		[[ $size == "$last" ]] && break
		last=$size
		nap 0.05
	done
	WIRE=$(log_since "watch-$server" "$wfrom")
}

# wire_count FAMILY KIND / wire_time FAMILY KIND [N]: how many FAMILY KIND
# packets synwatch saw, and when the Nth (1st) came.
wire_count() {
	awk -v f="$1" -v k="$2" '$2 == f && $3 == k { n++ } END { print n + 0 }' <<<"$WIRE"
}

wire_time() {
	awk -v f="$1" -v k="$2" -v n="${3:-1}" '$2 == f && $3 == k && ++seen == n { print $1; exit }' <<<"$WIRE"
}

# ms_between A B: B - A, seconds to whole milliseconds.
ms_between() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%d\n", (b - a) * 1000 }'
}

# show_wire: what synwatch saw, relative to the first packet, for a failure.
show_wire() {
	echo "what reached $1 (seen by the grader on $1, seconds after the first packet):"
	awk 'NR == 1 { t0 = $1 } { printf "    %.3f %s %s\n", $1 - t0, $2, $3 }' <<<"$WIRE"
	[[ -n $WIRE ]] || echo "    nothing"
}

# assert_trace STEP...: hecli's stderr is these lines, in order, each after
# its time stamp ("0.250 "):
#   try ADDR             "Trying ADDR..."
#   fail ADDR WORD       "connect to ADDR: ..." with WORD in it
#   connected ADDR       "Connected to ADDR"
#   quit HOST WORD       "hecli: HOST: ..." with WORD in it (no stamp)
assert_trace() {
	local i=0 step what addr word line text
	# shellcheck disable=SC2154 # set by run --separate-stderr
	for step; do
		read -r what addr word <<<"$step"
		line=${stderr_lines[i]:-(no line)}
		text=${line#* }
		[[ $what == quit || $line =~ ^[0-9]+\.[0-9]{3}\  ]] || text="(no time stamp) $line"
		case $what in
		try) [[ $text == "Trying $addr..." ]] ;;
		fail) [[ $text == "connect to $addr: "* && ${text,,} == *"$word"* ]] ;;
		connected) [[ $text == "Connected to $addr" ]] ;;
		quit) [[ $line == "hecli: $addr: "* && ${line,,} == *"$word"* ]] ;;
		esac || fail "$(printf 'trace line %d should be: %s\n' $((i + 1)) "$(describe_step "$step")"
			echo "hecli's stderr was:"
			printf '    %s\n' "${stderr_lines[@]}")"
		i=$((i + 1))
	done
	((${#stderr_lines[@]} == i)) ||
		fail "$(echo "hecli wrote more than the $i trace lines expected:"; printf '    %s\n' "${stderr_lines[@]}")"
}

describe_step() {
	local what addr word
	read -r what addr word <<<"$1"
	case $what in
	try) echo "S.mmm Trying $addr..." ;;
	fail) echo "S.mmm connect to $addr: (why: $word)" ;;
	connected) echo "S.mmm Connected to $addr" ;;
	quit) echo "hecli: $addr: (why: $word)" ;;
	esac
}

# assert_served SERVER FAMILY CARRIED: hecli printed the daytime line and
# exited 0; SERVER's counters say CARRIED (IPv4, IPv6, both) is what
# reached it, and its server logged one client: dscli at its FAMILY (inet,
# inet6) address.
assert_served() {
	local server=$1 family=$2 peer
	assert_success
	assert_equal "${#lines[@]}" 1
	assert_daytime "${lines[0]}"
	[[ $CARRIED == "$3" ]] ||
		fail "by $server's own counters the exchange was $CARRIED ($DV4 IPv4, $DV6 IPv6 packets), not $3"
	peer=$(host_addr dscli "$family")
	[[ $family == inet && $server == ds6srv ]] && peer=::ffff:$peer
	run new_log "$server" "$FROM"
	assert_output --regexp "^tcp from $peer port [0-9]+$"
}

# delay_v6 MS: every IPv6 SYN to ds6srv's PORT is held MS (100 or 400) ms.
delay_v6() {
	local queue=1
	graded_here firewall
	(($1 == 400)) && queue=4
	wait_ready "delay-$1" "hold packets in a netfilter queue" || return
	firewall v6 --syn -j NFQUEUE --queue-num "$queue" --queue-bypass
}

# assert_held MS: the IPv6 SYN-ACK left ds6srv MS ms (within 10 %) after
# the first IPv6 SYN came: the grader's own delay was in effect.
assert_held() {
	local t6 ta held
	t6=$(wire_time v6 syn) ta=$(wire_time v6 synack)
	[[ -n $t6 && -n $ta ]] || fail "$(echo "expected an IPv6 SYN and, $1 ms later, its SYN-ACK"; show_wire ds6srv)"
	held=$(ms_between "$t6" "$ta")
	((held >= $1 * 9 / 10)) ||
		fail "$(echo "the grader's delay did not work: ds6srv answered the IPv6 SYN after $held ms, not $1 ms (a fault of the grader, not of hecli)"; show_wire ds6srv)"
}

v6() { host_addr "$1" inet6; }
v4() { host_addr "$1" inet; }

# points: 3
@test "both families answer: the IPv6 attempt connects at once and IPv4 is never tried" {
	hecli ds6srv
	assert_served ds6srv inet6 IPv6
	assert_trace "try $(v6 ds6srv)" "connected $(v6 ds6srv)"
}

# points: 3
@test "IPv6 refused at once (a RST): IPv4 is tried at once, well within the 250 ms delay" {
	local t6 t4 gap
	hecli ds4srv
	assert_served ds4srv inet both
	assert_trace "try $(v6 ds4srv)" "fail $(v6 ds4srv) refused" "try $(v4 ds4srv)" "connected $(v4 ds4srv)"
	t6=$(wire_time v6 syn) t4=$(wire_time v4 syn)
	[[ -n $t6 && -n $t4 && $(wire_count v6 rst) -ge 1 ]] ||
		fail "$(echo "expected an IPv6 SYN, its RST, then an IPv4 SYN"; show_wire ds4srv)"
	gap=$(ms_between "$t6" "$t4")
	echo "$gap" >>"$LAB_WORK/ipv6-refused-ms"
	((gap >= 0 && gap < 200)) ||
		fail "$(echo "the IPv4 SYN came ${gap} ms after the refused IPv6 one: a refusal must start the next attempt at once (under 200 ms here), not after the 250 ms delay"; show_wire ds4srv)"
}

# points: 4
@test "IPv6 silently dropped: IPv4 is tried after 250 ms and connects before the IPv6 SYN is sent again" {
	local t6 t4 ta gap
	firewall v6 -j DROP
	hecli ds6srv
	assert_served ds6srv inet IPv4
	assert_trace "try $(v6 ds6srv)" "try $(v4 ds6srv)" "connected $(v4 ds6srv)"
	t6=$(wire_time v6 syn) t4=$(wire_time v4 syn) ta=$(wire_time v4 synack)
	[[ -n $t6 && -n $t4 && -n $ta ]] ||
		fail "$(echo "expected an IPv6 SYN (dropped), then an IPv4 SYN, answered"; show_wire ds6srv)"
	gap=$(ms_between "$t6" "$t4")
	echo "$gap" >>"$LAB_WORK/ipv6-dropped-ms"
	((gap >= 200)) ||
		fail "$(echo "the IPv4 SYN came ${gap} ms after the IPv6 one: the next attempt waits for the 250 ms Connection Attempt Delay"; show_wire ds6srv)"
	(($(ms_between "$t6" "$ta") < 1000 && $(wire_count v6 syn) == 1)) ||
		fail "$(echo "IPv4 must connect within 1 s of the IPv6 SYN, before the kernel sends that SYN again (the IPv4 SYN came ${gap} ms after it)"; show_wire ds6srv)"
}

# points: 3
@test "IPv6 100 ms late, IPv4 working: IPv6 still connects before the 250 ms delay, and IPv4 is never tried" {
	delay_v6 100
	hecli ds6srv
	assert_held 100
	assert_served ds6srv inet6 IPv6
	assert_trace "try $(v6 ds6srv)" "connected $(v6 ds6srv)"
	(($(wire_count v4 syn) == 0)) ||
		fail "$(echo "IPv4 was tried although IPv6 answered within the 250 ms delay"; show_wire ds6srv)"
}

# points: 3
@test "IPv6 400 ms late, IPv4 later still (its first SYN lost): the IPv6 attempt is kept running after IPv4 starts, and wins" {
	local t4 ta
	delay_v6 400
	firewall v4 --syn -m statistic --mode nth --every 1000 --packet 0 -j DROP
	hecli ds6srv
	assert_held 400
	assert_served ds6srv inet6 IPv6
	assert_trace "try $(v6 ds6srv)" "try $(v4 ds6srv)" "connected $(v6 ds6srv)"
	t4=$(wire_time v4 syn) ta=$(wire_time v6 synack)
	[[ -n $t4 ]] && (($(ms_between "$t4" "$ta") > 0)) ||
		fail "$(echo "expected an IPv6 SYN, an IPv4 SYN 250 ms later (lost), then the IPv6 SYN-ACK at 400 ms"; show_wire ds6srv)"
}

# points: 2
@test "both families dropped: hecli gives up 3 s after its last attempt began, says the host timed out, exit 1" {
	local t6 took
	firewall v6 -j DROP
	firewall v4 -j DROP
	hecli ds6srv 20
	assert_failure 1
	assert_trace "try $(v6 ds6srv)" "try $(v4 ds6srv)" "quit $(host_fqdn ds6srv) timed out"
	run tail -n "+$((FROM + 1))" "$LAB_WORK/ds6srv.out"
	assert_output ""
	t6=$(wire_time v6 syn)
	[[ -n $t6 && -n $(wire_time v4 syn) && $(wire_count v6 synack) == 0 && $(wire_count v4 synack) == 0 ]] ||
		fail "$(echo "expected IPv6 and IPv4 SYNs, all dropped"; show_wire ds6srv)"
	took=$(ms_between "$t6" "$T1")
	# 3.25 s for hecli; the bounds leave room for valgrind's exit and the
	# sandbox's end on a loaded machine, and are no finer than that (a
	# client that waits for the kernel to give up takes two minutes).
	((took >= 2500 && took < 8000)) ||
		fail "$(echo "hecli ended $took ms after its first SYN; it should give up 3 s after its last attempt (at 250 ms) began: 3.25 s (2.5 s to 8 s with valgrind)"; show_wire ds6srv)"
}

# points: 2
# bats test_tags=hidden
@test "IPv6 dropped and IPv4 refused: the refusal does not end the race while IPv6 still runs; hecli gives up after 3 s, exit 1" {
	local t6 took
	firewall v6 -j DROP
	firewall v4 -j REJECT --reject-with tcp-reset
	hecli ds6srv 20
	assert_failure 1
	assert_trace "try $(v6 ds6srv)" "try $(v4 ds6srv)" "fail $(v4 ds6srv) refused" "quit $(host_fqdn ds6srv)"
	t6=$(wire_time v6 syn)
	[[ -n $t6 && -n $(wire_time v4 syn) && $(wire_count v6 synack) == 0 ]] ||
		fail "$(echo "expected an IPv6 SYN (dropped), then an IPv4 SYN (refused)"; show_wire ds6srv)"
	took=$(ms_between "$t6" "$T1")
	((took >= 2500 && took < 8000)) ||
		fail "$(echo "hecli ended $took ms after its first SYN; with IPv6 still running when IPv4 is refused, it should wait until 3 s after its last attempt began: 3.25 s (2.5 s to 8 s with valgrind)"; show_wire ds6srv)"
}

# points: 1
@test "a name that does not resolve: the lookup's own message, no attempt, exit 1" {
	run --separate-stderr student --on dscli hecli nosuch.lab.test "$PORT"
	assert_failure 1
	assert_trace "quit nosuch.lab.test"
}

# points: 1
@test "a bad command line (no port, an option, a bad port, an extra argument) exits 2 with one line" {
	# Four runs under valgrind side by side: slow on a loaded machine.
	STUDENT_TIMEOUT=30 assert_usage_errors hecli "dscli" "-x dscli 13" "dscli 0" "dscli 13 14"
}

# points: 3
@test "every hecli run is clean under valgrind: no leak, no descriptor left open" {
	assert_valgrind_clean
}
