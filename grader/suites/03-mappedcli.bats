#!/usr/bin/env bats
# Lab 03-mappedcli: the IPv6 client against the grader's own servers, its trace checked against the network.
#
# Hidden tests (tagged hidden, run by grade-all, not by make grade) check
# only what the lab's README or its skeleton's TODO comments ask for:
# harder cases of the behaviour stated there, never behaviour they leave
# unsaid.
# network: yes

load ../lib/lab
load interop

# The grader's daytime servers, TCP and UDP on PORT: IPv4-only (AF_INET) on
# v4srv and ds4srv, IPv6 (AF_INET6, IPv4 clients too) on v6srv and ds6srv.
# Nothing listens on CLOSED_PORT.
PORT=1323 CLOSED_PORT=1329

setup_file() {
	local peer host ipv4only
	peer=$(lab_tool daytimepeer) || return 0
	for host in v4srv ds4srv v6srv ds6srv; do
		! lab_unbuildable "$host" >/dev/null || continue
		ipv4only=()
		[[ $host == *4srv ]] && ipv4only=(-4)
		kit_bg "$host-tcp" "$host" "$peer" serve "${ipv4only[@]}" "$(host_port "$host" "$PORT")"
		kit_bg "$host-udp" "$host" "$peer" serve "${ipv4only[@]}" -u "$(host_port "$host" "$PORT")"
	done
}

teardown_file() {
	local host proto
	for host in v4srv ds4srv v6srv ds6srv; do
		for proto in tcp udp; do
			[[ ! -e $LAB_WORK/$host-$proto.pid ]] || kit_stop "$host-$proto"
		done
	done
}

# ask PROTO CLIENT SERVER [PORT]: mappedcli on host CLIENT asks host SERVER
# for the time, under `run --separate-stderr`, measured on SERVER (DV4,
# DV6, CARRIED); FROM is how many lines the grader's server had logged.
# The ports are SERVER's (see host_port).
ask() {
	local proto=$1 client=$2 server=$3 port=${4:-$PORT} udp=()
	graded_here "$client" "$server"
	[[ $proto == udp ]] && udp=(-u)
	wait_server "$server-$proto" "$server" "$(host_port "$server" "$PORT")" "$proto" || return
	log_lines "$server-$proto" FROM
	measure "$server" run --separate-stderr student --on "$client" mappedcli "${udp[@]}" \
		"$(host_fqdn "$server")" "$(host_port "$server" "$port")"
}

# assert_trace STEP...: mappedcli's stderr is exactly these lines, in order:
#   try ADDR             "Trying ADDR..."
#   fail ADDR WORD       a line naming ADDR and WORD (refused, unreachable)
#   connected ADDR KIND  "Connected to ADDR (KIND)"
#   quit HOST [WORD]     "mappedcli: HOST: ..." (with WORD in it)
assert_trace() {
	local i=0 step what addr word line
	# shellcheck disable=SC2154 # set by run --separate-stderr
	for step; do
		read -r what addr word <<<"$step"
		line=${stderr_lines[i]:-(no line)}
		case $what in
		try) [[ $line == "Trying $addr..." ]] ;;
		fail) [[ $line == *"$addr"* && ${line,,} == *"$word"* ]] ;;
		connected) [[ $line == "Connected to $addr ($word)" ]] ;;
		quit) [[ $line == "mappedcli: $addr: "* && ${line,,} == *"$word"* ]] ;;
		esac || fail "$(printf 'trace line %d should be: %s\n' $((i + 1)) "$(describe_step "$step")"
			echo "mappedcli's stderr was:"
			printf '    %s\n' "${stderr_lines[@]}")"
		i=$((i + 1))
	done
	((${#stderr_lines[@]} == i)) ||
		fail "$(echo "mappedcli wrote more than the $i trace lines expected:"; printf '    %s\n' "${stderr_lines[@]}")"
}

describe_step() {
	local what addr word
	read -r what addr word <<<"$1"
	case $what in
	try) echo "Trying $addr..." ;;
	fail) echo "why the attempt at $addr failed (${word})" ;;
	connected) echo "Connected to $addr ($word)" ;;
	quit) echo "mappedcli: $addr: ${word:-the reason}" ;;
	esac
}

# assert_carried VERSION SERVER: what SERVER received in the exchange was
# VERSION (IPv4, IPv6, both or none), by its counters.
assert_carried() {
	[[ $CARRIED == "$1" ]] ||
		fail "by $2's own counters the exchange was $CARRIED ($DV4 IPv4, $DV6 IPv6 packets), not $1"
}

# assert_served PROTO CLIENT SERVER FAMILY: mappedcli printed the daytime
# line, exited 0, and the server logged one client: CLIENT at its FAMILY
# address (as the grader's server sees it: mapped on an IPv6 server).
assert_served() {
	local proto=$1 client=$2 server=$3 family=$4 peer
	assert_success
	assert_equal "${#lines[@]}" 1
	assert_daytime "${lines[0]}"
	peer=$(host_addr "$client" "$family")
	[[ $family == inet && $server != *4srv ]] && peer=::ffff:$peer
	run new_log "$server-$proto" "$FROM"
	assert_output --regexp "^$proto from $peer port [0-9]+$"
}

mapped() {
	echo "::ffff:$(host_addr "$1" inet)"
}

# points: 3
@test "TCP: a dual-stack client tries ds6srv's IPv6 address first and connects over IPv6" {
	graded_here ipv6
	ask tcp dscli ds6srv
	assert_trace "try $(host_addr ds6srv inet6)" "connected $(host_addr ds6srv inet6) IPv6"
	assert_carried IPv6 ds6srv
	assert_served tcp dscli ds6srv inet6
}

# points: 3
@test "TCP: an IPv4-only client reaches v4srv through an IPv4-mapped address, over IPv4" {
	ask tcp v4cli v4srv
	assert_trace "try $(mapped v4srv)" "connected $(mapped v4srv) IPv4-mapped"
	assert_carried IPv4 v4srv
	assert_served tcp v4cli v4srv inet
}

# points: 4
@test "TCP: every address in turn: ds4srv refuses IPv6, then its mapped IPv4 address connects" {
	graded_here ipv6
	ask tcp dscli ds4srv
	assert_trace "try $(host_addr ds4srv inet6)" "fail $(host_addr ds4srv inet6) refused" \
		"try $(mapped ds4srv)" "connected $(mapped ds4srv) IPv4-mapped"
	assert_carried both ds4srv
	assert_served tcp dscli ds4srv inet
}

# points: 3
@test "UDP: ds4srv's port unreachable over IPv6 reads as refused, then IPv4 answers" {
	graded_here ipv6
	ask udp dscli ds4srv
	assert_trace "try $(host_addr ds4srv inet6)" "fail $(host_addr ds4srv inet6) refused" \
		"try $(mapped ds4srv)" "connected $(mapped ds4srv) IPv4-mapped"
	assert_carried both ds4srv
	assert_served udp dscli ds4srv inet
}

# points: 2
@test "UDP: an IPv6-only client gets its answer from v6srv over IPv6" {
	ask udp v6cli v6srv
	assert_trace "try $(host_addr v6srv inet6)" "connected $(host_addr v6srv inet6) IPv6"
	assert_carried IPv6 v6srv
	assert_served udp v6cli v6srv inet6
}

# points: 2
@test "every address refused: both attempts reported, the last reason given, exit 1" {
	graded_here ipv6
	ask tcp dscli ds6srv "$CLOSED_PORT"
	assert_failure 1
	assert_trace "try $(host_addr ds6srv inet6)" "fail $(host_addr ds6srv inet6) refused" \
		"try $(mapped ds6srv)" "fail $(mapped ds6srv) refused" "quit $(host_fqdn ds6srv) refused"
	assert_carried both ds6srv
}

# points: 2
@test "an IPv6-only client and an IPv4-only server: network unreachable, nothing sent, exit 1" {
	ask tcp v6cli v4srv
	assert_failure 1
	assert_trace "try $(mapped v4srv)" "fail $(mapped v4srv) unreachable" \
		"quit $(host_fqdn v4srv) unreachable"
	assert_carried none v4srv
}

# points: 1
@test "a name that does not resolve: the lookup's own message, no attempt, exit 1" {
	run --separate-stderr student --on dscli mappedcli nosuch.lab.test "$PORT"
	assert_failure 1
	assert_trace "quit nosuch.lab.test"
}

# points: 2
@test "exercise 11.10: with a slow DNS the wait comes before the first Trying line, not after it" {
	local t0 stamps trying connected
	wait_server ds6srv-tcp ds6srv "$(host_port ds6srv "$PORT")" tcp
	t0=$EPOCHREALTIME
	{ student --on dscli --dns delay:800 mappedcli "$(host_fqdn ds6srv)" "$(host_port ds6srv "$PORT")" 2>&1 >"$LAB_WORK/slow.out"; } |
		while IFS= read -r line; do echo "$EPOCHREALTIME $line"; done >"$LAB_WORK/stamped"
	assert_daytime "$(cat "$LAB_WORK/slow.out")"
	stamps=$(cat "$LAB_WORK/stamped")
	trying=$(awk '/ Trying /{print $1; exit}' <<<"$stamps")
	connected=$(awk '/ Connected to /{print $1; exit}' <<<"$stamps")
	[[ -n $trying && -n $connected ]] || fail "no Trying or no Connected line: $stamps"
	awk -v t0="$t0" -v t="$trying" -v c="$connected" 'BEGIN { exit !(t - t0 >= 0.8 && c - t < 0.8) }' ||
		fail "$(echo "with a DNS answer 0.8 s late, Trying should come after at least 0.8 s and Connected soon after it; the lines came at (seconds since start):"
			awk -v t0="$t0" '{ t = $1; $1 = ""; printf "    %.2f%s\n", t - t0, $0 }' <<<"$stamps")"
}

# points: 1
@test "a bad command line (no port, an unknown option, a bad port) exits 2 with one line" {
	assert_usage_errors mappedcli "dscli" "-x dscli 13" "dscli 0" "dscli 13 14"
}

# points: 3
@test "every mappedcli run is clean under valgrind" {
	assert_valgrind_clean
}
