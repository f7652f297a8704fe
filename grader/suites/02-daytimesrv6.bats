#!/usr/bin/env bats
# Lab 02-daytimesrv6: the IPv6 daytime server on ds6srv, driven by the grader's own clients.
#
# Hidden tests (tagged hidden, run by grade-all, not by make grade) check
# only what the lab's README or its skeleton's TODO comments ask for:
# harder cases of the behaviour stated there, never behaviour they leave
# unsaid.
# network: yes

load ../lib/lab
load interop

# Servers of the whole run, on the dual-stack host ds6srv: TCP and UDP on
# PORT, and the same with -6 (IPV6_V6ONLY) on V6ONLY_PORT.
SERVER=ds6srv PORT=1313 V6ONLY_PORT=1314

setup_file() {
	# shellcheck disable=SC2034 # what student_bg reads
	local BATS_TEST_NUMBER=0 BATS_TEST_DESCRIPTION="servers the tests share" STUDENT_TIMEOUT=60
	student_bg tcp --on "$SERVER" daytimesrv6 "$PORT"
	student_bg udp --on "$SERVER" daytimesrv6 -u "$PORT"
	student_bg tcp6only --on "$SERVER" daytimesrv6 -6 "$V6ONLY_PORT"
	student_bg udp6only --on "$SERVER" daytimesrv6 -6 -u "$V6ONLY_PORT"
}

teardown_file() {
	stop_servers
}

stop_servers() {
	local name
	for name in tcp udp tcp6only udp6only; do
		[[ -e $LAB_WORK/$name.pid ]] && stop_student "$name" >/dev/null 2>&1
		rm -f "$LAB_WORK/$name.pid"
	done
}

# exchange NAME CLIENT FAMILY: one exchange of the grader's client on host
# CLIENT with server NAME (tcp, udp, tcp6only, udp6only) at ds6srv's FAMILY
# address; under `run`, measured on ds6srv (DV4, DV6, CARRIED); FROM is how
# many lines the server had logged before.
exchange() {
	local name=$1 client=$2 family=$3 port=$PORT udp=() needs=("$2")
	[[ $family == inet6 ]] && needs+=(ipv6)
	graded_here "${needs[@]}"
	[[ $name == udp* ]] && udp=(-u)
	[[ $name == *6only ]] && port=$V6ONLY_PORT
	wait_server "$name" "$SERVER" "$port" "${name%%[0-9]*}" || return
	log_lines "$name" FROM
	measure "$SERVER" run on "$client" "$(lab_tool daytimepeer)" get "${udp[@]}" \
		"$(host_addr "$SERVER" "$family")" "$port"
}

# served NAME CLIENT FAMILY: the client gets the time over FAMILY (inet:
# IPv4, inet6: IPv6), the server host's counters agree, and the server logs
# the client's own address and port, IPv4-mapped when it came over IPv4.
served() {
	local name=$1 client=$2 family=$3 version=IPv6 kind=IPv6 peer
	[[ $family == inet ]] && version=IPv4 kind=IPv4-mapped
	exchange "$name" "$client" "$family" || return
	assert_success
	assert_line --index 1 --regexp "^reply "
	assert_daytime "${lines[1]#reply }"
	[[ $CARRIED == "$version" ]] ||
		fail "$SERVER's counters show $CARRIED packets ($DV4 IPv4, $DV6 IPv6), not $version only"
	read -r _ peer port <<<"${lines[0]}"
	[[ $family == inet ]] && peer=::ffff:$peer
	run new_log "$name" "$FROM"
	assert_output "${name%%[0-9]*} from $peer port $port ($kind)"
}

# refused NAME CLIENT: an IPv4 client of a -6 server is refused (TCP: reset,
# UDP: port unreachable) although its packets reached ds6srv, and nothing
# is logged.
refused() {
	exchange "$1" "$2" inet || return
	assert_failure
	assert_output --partial "error refused"
	((DV4 > 0)) || fail "no IPv4 packet reached $SERVER: the test network is not right"
	local n
	log_lines "$1" n
	((n == FROM)) || fail "the server logged a client it should not have had: $(new_log "$1" "$FROM")"
}

# points: 3
@test "rule 1: an IPv4 client's TCP connection reaches the IPv6 server and is logged as IPv4-mapped" {
	served tcp v4cli inet
}

# points: 3
@test "rule 2: an IPv6 client's TCP connection is logged with its native IPv6 address" {
	served tcp v6cli inet6
}

# points: 2
@test "UDP: an IPv4 client's datagram gets the time and is logged as IPv4-mapped" {
	served udp v4cli inet
}

# points: 2
@test "UDP: an IPv6 client's datagram gets the time and is logged as IPv6" {
	served udp v6cli inet6
}

# points: 2
@test "rule 3: with -6 (IPV6_V6ONLY) an IPv4 client's TCP connection is refused" {
	refused tcp6only dscli
}

# points: 1
@test "rule 3: with -6 an IPv4 client's datagram is refused" {
	refused udp6only dscli
}

# points: 1
@test "with -6 an IPv6 client is still served, over TCP and UDP" {
	served tcp6only dscli inet6
	served udp6only dscli inet6
}

# points: 2
@test "serves several clients in a row, IPv4 and IPv6 mixed, logging each once" {
	local client
	for client in v4cli:inet v6cli:inet6 dscli:inet; do
		served tcp "${client%:*}" "${client#*:}"
	done
}

# points: 2
@test "SIGTERM stops the server: it exits 0 and nothing listens any more" {
	graded_here ipv6
	STUDENT_TIMEOUT=20 student_bg term --on "$SERVER" daytimesrv6 -u 1315
	wait_server term "$SERVER" 1315 udp
	run on dscli "$(lab_tool daytimepeer)" get -u "$(host_addr "$SERVER" inet6)" 1315
	assert_success
	stop_student term || fail "daytimesrv6 exited with status $? on SIGTERM, not 0"
	run on "$SERVER" ss -Hlun "sport = :1315"
	assert_output ""
}

# points: 1
@test "a bad command line (no port, a bad port, an unknown option) exits 2 with one line" {
	assert_usage_errors daytimesrv6 "" "99999" "-x 1316" "1316 1317"
}

# points: 1
@test "a port already in use is an error naming the port, exit 1" {
	kit_bg holder "$SERVER" "$(lab_tool daytimepeer)" serve 1317
	wait_server holder "$SERVER" 1317 tcp
	run --separate-stderr student --on "$SERVER" daytimesrv6 1317
	kit_stop holder
	assert_equal "$status" 1
	# shellcheck disable=SC2154 # set by run --separate-stderr
	assert_equal "${#stderr_lines[@]}" 1
	# shellcheck disable=SC2154
	assert_regex "$stderr" "1317"
}

# points: 3
@test "every daytimesrv6 run is clean under valgrind" {
	stop_servers
	assert_valgrind_clean
}
