#!/usr/bin/env bats
# Lab 07-nat64-literal: nat64cli reaches an IPv4 literal from an IPv6-only host through NAT64, the prefix found from ipv4only.arpa (RFC 7050).
#
# Hidden tests (tagged hidden, run by grade-all, not by make grade) check
# only what the lab's README or its skeleton's TODO comments ask for:
# harder cases of the behaviour stated there, never behaviour they leave
# unsaid.
# network: yes
#
# nat64cli runs on v6cli (IPv6 only) and is given the literal address of
# v4srv (IPv4 only), where the grader's own daytime server (AF_INET)
# listens on PORT; the hidden test asks ds4srv's instead.  The client's
# resolver is the lab's DNS64 (`--dns dns64:PREFIX`, see grader/net):
# unbound on the dns host, synthesising AAAA records under PREFIX, in
# front of dnsmasq, which holds ipv4only.arpa's two A records; the NAT64
# for PREFIX is tayga on the nat64 host.  PREFIX changes from test to
# test, so that a client that knows a prefix beforehand (64:ff9b::/96,
# the well-known one, or the first one it met) fails.  The tests that
# need no prefix use the lab's plain resolver (dnsmasq: no DNS64, so no
# AAAA for ipv4only.arpa).
#
# What happened is read from the hosts, never from nat64cli: the server
# host's packet counters (IPv4 only: the NAT64 translated), the client
# host's (IPv6 only), the NAT64 host's forwarding counters (it passed the
# exchange on both ways, in both families), and the server's log (the
# client came from an address of the NAT64's pool).  nat64cli's trace
# lines must agree with that.

load ../lib/lab
load interop

PORT=1370 CLOSED_PORT=1371
# The prefixes of the tests, each a /96 inside the lab's IPv6 network; the
# first is the topology's default.
PREFIX_1=2001:db8:12:0:64::/96
PREFIX_2=2001:db8:12:0:6052::/96
PREFIX_3=2001:db8:12:0:7050::/96

setup_file() {
	local peer host
	peer=$(lab_tool daytimepeer) || return 0
	for host in v4srv ds4srv; do
		kit_bg "$host" "$host" "$peer" serve -4 "$PORT"
	done
}

teardown_file() {
	kit_stop v4srv
	kit_stop ds4srv
}

# The test is not graded where the backend has no NAT64/DNS64 to offer,
# or not the hosts.
require_nat64() {
	graded_here v6cli v4srv nat64
}

# through_nat64 CMD...: runs CMD in this shell; sets NV4 NV6, what the NAT64
# host forwarded meanwhile (forwarded_counters: what a NAT64 host passes
# on is neither delivered to it nor sent by it).
through_nat64() {
	local before after rc=0
	forwarded_counters nat64 before || { echo "cannot read the counters of nat64" >&2; return 1; }
	"$@" || rc=$?
	forwarded_counters nat64 after || { echo "cannot read the counters of nat64" >&2; return 1; }
	NV4=$((${after% *} - ${before% *})) NV6=$((${after#* } - ${before#* }))
	return "$rc"
}

# nat64cli SERVER PORT [--dns MODE]: nat64cli on v6cli asks SERVER's IPv4
# literal for the time, under `run --separate-stderr`, with MODE's
# resolver (default: the plain one).  Then ERR holds its stderr lines,
# SV4 SV6 are what reached
# SERVER meanwhile, CV4 CV6 what reached v6cli, NV4 NV6 what the NAT64
# host forwarded.
nat64cli() {
	local server=$1 port=$2 dns=() addr
	[[ ${3:-} == --dns ]] && dns=(--dns "$4")
	wait_server "$server" "$server" "$PORT" tcp || return
	log_lines "$server" FROM
	addr=$(host_addr "$server" inet)
	measure --client v6cli "$server" through_nat64 \
		run --separate-stderr student --on v6cli "${dns[@]}" nat64cli "$addr" "$port" ||
		fail "cannot read the hosts' counters"
	# shellcheck disable=SC2154 # set by run --separate-stderr
	ERR=("${stderr_lines[@]}")
	SV4=$DV4 SV6=$DV6
}

# counters_story: what the hosts counted, for a failure.
counters_story() {
	echo "the server host took in $SV4 IPv4 and $SV6 IPv6 packets, v6cli $CV4 IPv4 and $CV6 IPv6;"
	echo "the NAT64 host forwarded $NV4 IPv4 and $NV6 IPv6 packets"
	echo "nat64cli's stderr:"
	printf '    %s\n' "${ERR[@]}"
}

# assert_through_nat64 SERVER PREFIX: nat64cli printed the daytime line
# and exited 0, having found PREFIX and connected to SERVER's address
# under it; the exchange was IPv6 at the client, IPv4 at the server,
# through the NAT64 both ways, and the server logged one client from the
# NAT64's pool.
assert_through_nat64() {
	local server=$1 prefix=$2 target pool
	nat64_address "$prefix" "$(host_addr "$server" inet)" target
	((status == 0)) || fail "$(echo "nat64cli exited with status $status, not 0"; counters_story)"
	assert_equal "${#lines[@]}" 1
	assert_daytime "${lines[0]}"
	((SV4 > 0 && SV6 == 0 && CV6 > 0 && CV4 == 0)) ||
		fail "$(echo "expected IPv6 at v6cli only and IPv4 at $server only"; counters_story)"
	((NV4 > 0 && NV6 > 0)) ||
		fail "$(echo "expected the NAT64 host to pass the exchange on, in both families"; counters_story)"
	read -r _ pool _ _ <<<"$TOPO_NAT64"
	run new_log "$server" "$FROM"
	if ! [[ ${#lines[@]} == 1 && $output =~ ^tcp\ from\ (192\.0\.2\.[0-9]+)\ port\ [0-9]+$ ]] ||
		! in_network "${BASH_REMATCH[1]}" "$pool"; then
		fail "$(echo "expected $server's server to log one client from the NAT64's pool ($pool), it logged:"
			printf '    %s\n' "${lines[@]}")"
	fi
	[[ ${ERR[0]:-} == "NAT64 prefix $prefix" && ${ERR[1]:-} == "Trying $target..." &&
		${ERR[2]:-} == "Connected to $target" && ${#ERR[@]} == 3 ]] ||
		fail "$(printf 'expected these three lines on stderr:\n    NAT64 prefix %s\n    Trying %s...\n    Connected to %s\n' \
			"$prefix" "$target" "$target"; counters_story)"
}

# points: 3
@test "an IPv4 literal from an IPv6-only host: the prefix (2001:db8:12:0:64::/96) found from ipv4only.arpa, IPv6 at the client, IPv4 at the server" {
	require_nat64
	nat64cli v4srv "$PORT" --dns "dns64:$PREFIX_1"
	assert_through_nat64 v4srv "$PREFIX_1"
}

# points: 3
@test "the NAT64 prefix changed (2001:db8:12:0:6052::/96): the new one is found and used" {
	require_nat64
	nat64cli v4srv "$PORT" --dns "dns64:$PREFIX_2"
	assert_through_nat64 v4srv "$PREFIX_2"
}

# points: 2
@test "no DNS64 (the lab's plain resolver): ipv4only.arpa has no AAAA, so no prefix; said so, exit 1, nothing sent to the server" {
	graded_here v6cli v4srv
	nat64cli v4srv "$PORT"
	assert_failure 1
	[[ ${ERR[-1]:-} == "nat64cli: ipv4only.arpa: "* && ${ERR[*]} != *Trying* ]] ||
		fail "$(echo "expected 'nat64cli: ipv4only.arpa: REASON' last and no connection attempt"; counters_story)"
	((SV4 == 0 && SV6 == 0)) || fail "$(echo "expected nothing to reach v4srv"; counters_story)"
	run new_log v4srv "$FROM"
	assert_output ""
}

# points: 2
@test "a closed port behind the NAT64: the refusal comes back through it, said so, exit 1" {
	local target
	require_nat64
	nat64_address "$PREFIX_1" "$(host_addr v4srv inet)" target
	nat64cli v4srv "$CLOSED_PORT" --dns "dns64:$PREFIX_1"
	assert_failure 1
	[[ ${ERR[0]:-} == "NAT64 prefix $PREFIX_1" && ${ERR[1]:-} == "Trying $target..." &&
		${ERR[-1]:-} == "nat64cli: $target: "* && ${ERR[-1],,} == *refused* ]] ||
		fail "$(echo "expected the prefix, 'Trying $target...', then 'nat64cli: $target: Connection refused'"; counters_story)"
	((SV4 > 0 && SV6 == 0)) || fail "$(echo "expected the attempt to reach v4srv over IPv4"; counters_story)"
}

# points: 1
@test "a bad command line (a name, an IPv6 address, no port, a bad port, an option, an extra argument) exits 2 with one line" {
	STUDENT_TIMEOUT=30 assert_usage_errors nat64cli "v4srv.lab.test 1370" "2001:db8:12::11 1370" \
		"192.0.2.10" "192.0.2.10 0" "-x 192.0.2.10 1370" "192.0.2.10 1370 14"
}

# points: 2
# bats test_tags=hidden
@test "a third prefix (2001:db8:12:0:7050::/96) and another IPv4 server (ds4srv's literal)" {
	require_nat64
	nat64cli ds4srv "$PORT" --dns "dns64:$PREFIX_3"
	assert_through_nat64 ds4srv "$PREFIX_3"
}

# points: 2
@test "every nat64cli run is clean under valgrind: no leak, no descriptor left open" {
	assert_valgrind_clean
}
