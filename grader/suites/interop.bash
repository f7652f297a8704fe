# shellcheck shell=bash
# interop.bash - what the suites of labs 02, 03 and 05 share (`load interop`,
# after `load ../lib/lab`): telling which IP version carried an exchange from
# the server host's own counters, servers in the background, the grader's
# own daytime client and server, and the checks of a daytime exchange.
#
#   ip_counters HOST           "V4 V6": the IPv4 and IPv6 packets HOST has
#                              taken in so far, read by column name from its
#                              own (per network namespace) /proc/net/snmp, Ip
#                              InDelivers, and /proc/net/snmp6, Ip6InDelivers;
#                              ICMP messages (Icmp InMsgs, Icmp6InMsgs) are
#                              taken off, see below, and so are the lab DNS
#                              server's packets where it shares HOST's
#                              counters (lab_dns_packets: every host on one
#                              machine)
#   settled_counters HOST      ip_counters, once HOST has gone quiet
#   measure HOST CMD...        runs CMD in this shell (`measure ds6srv run ...`)
#                              and sets DV4, DV6 (what HOST received meanwhile)
#                              and CARRIED: IPv4, IPv6, both or none
#   counter_delta BEFORE AFTER "DV4 DV6" between two ip_counters readings
#   carried_by DV4 DV6         IPv4, IPv6, both or none
#   daytime_peer               path of the grader's daytimepeer (interop/), built
#                              once per lab run
#   kit_bg NAME HOST CMD...    runs a kit program (never a student's) on HOST in
#                              the background; output in $LAB_WORK/NAME.out/.err
#   kit_stop NAME              stops it
#   wait_server NAME HOST PORT tcp|udp
#                              waits until the server started as NAME (kit_bg or
#                              student_bg) listens on HOST, or fails as soon as
#                              it has exited, with its messages
#   log_lines NAME             how many lines server NAME has logged so far
#   new_log NAME FROM          the lines server NAME logged after line FROM,
#                              waiting a second at most for one to come
#   assert_daytime TEXT        TEXT is one daytime line: "Tue Nov 26 10:00:00 2024"
#
# The counters are the grader's own observation of the network.  A daytime
# exchange reaches the server host as TCP or UDP only.  ICMP is left out
# because neighbour discovery sends ICMPv6 to a host whenever a neighbour
# rechecks an old entry, even in the middle of an IPv4 exchange; packets
# delivered are counted rather than received (InReceives) because every
# host receives the IPv6 multicast flooded on the segment, and an IPv4-only
# host counts it before dropping it.  A delta is
# read around one exchange, and exchanges with the same server host never
# run side by side.

ip_counters() {
	local counts c4 c6 d4 d6
	counts=$(_host_counters "$1") || return
	read -r c4 c6 <<<"$counts"
	read -r d4 d6 < <(lab_dns_packets)
	echo "$((c4 - d4)) $((c6 - d6))"
}

_host_counters() {
	on "$1" cat /proc/net/snmp /proc/net/snmp6 | awk '
		$1 == "Ip:" || $1 == "Icmp:" {
			if (!(($1) in named)) { for (i = 2; i <= NF; i++) col[$1, $i] = i; named[$1] = 1; next }
		}
		$1 == "Ip:" { ip = $(col["Ip:", "InDelivers"]) }
		$1 == "Icmp:" { icmp = $(col["Icmp:", "InMsgs"]) }
		$1 == "Ip6InDelivers" { ip6 = $2 }
		$1 == "Icmp6InMsgs" { icmp6 = $2 }
		END {
			if (ip == "" || icmp == "" || ip6 == "" || icmp6 == "") exit 1
			print ip - icmp, ip6 - icmp6
		}'
}

# settled_counters HOST: ip_counters once HOST has stopped taking in
# packets (two readings in a row agree; about 2 s at most), so that the
# last packets of an earlier exchange (a FIN, an ACK, a retransmission on a
# busy machine) are not counted in the next.
settled_counters() {
	local now last="" tries
	for ((tries = 0; tries < 10; tries++)); do
		now=$(ip_counters "$1") || return
		[[ $now == "$last" ]] && break
		last=$now
		sleep 0.1
	done
	echo "$now"
}

measure() {
	local host=$1 before after rc=0
	shift
	before=$(settled_counters "$host") || { echo "cannot read the counters of $host" >&2; return 1; }
	"$@" || rc=$?
	after=$(ip_counters "$host") || { echo "cannot read the counters of $host" >&2; return 1; }
	read -r DV4 DV6 < <(counter_delta "$before" "$after")
	# shellcheck disable=SC2034 # for the suites
	CARRIED=$(carried_by "$DV4" "$DV6")
	return "$rc"
}

# counter_delta BEFORE AFTER: "DV4 DV6" between two ip_counters readings.
counter_delta() {
	local b4 b6 a4 a6
	read -r b4 b6 <<<"$1"
	read -r a4 a6 <<<"$2"
	echo "$((a4 - b4)) $((a6 - b6))"
}

# carried_by DV4 DV6: IPv4, IPv6, both or none.
carried_by() {
	if (($1 > 0 && $2 > 0)); then
		echo both
	elif (($1 > 0)); then
		echo IPv4
	elif (($2 > 0)); then
		echo IPv6
	else
		echo none
	fi
}

daytime_peer() {
	build_driver daytimepeer "$GRADER/suites/interop/daytimepeer.c"
}

kit_bg() {
	local name=$1 host=$2 ON
	shift 2
	lab_on "$host" || return
	timeout -k 2 120 "${ON[@]}" "$@" >"$LAB_WORK/$name.out" 2>"$LAB_WORK/$name.err" 3>&- &
	echo "$! -" >"$LAB_WORK/$name.pid"
}

kit_stop() {
	local pid
	read -r pid _ <"$LAB_WORK/$1.pid"
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

wait_server() {
	local name=$1 host=$2 port=$3 proto=$4 pid flag=-Hltn deadline
	[[ $proto == udp ]] && flag=-Hlun
	read -r pid _ <"$LAB_WORK/$name.pid"
	# Seen listening before, and still running: no need to ask the host again.
	if [[ $(cat "$LAB_WORK/$name.listening" 2>/dev/null) == "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
		return 0
	fi
	deadline=$((${EPOCHREALTIME/./} + 5000000))
	until [[ -n $(on "$host" ss "$flag" "sport = :$port") ]]; do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "the server ($name) exited before it listened on $host $proto port $port:"
			sed 's/^/    /' "$LAB_WORK/$name.err"
			return 1
		fi >&2
		if ((${EPOCHREALTIME/./} > deadline)); then
			echo "the server ($name) did not listen on $host $proto port $port within 5 s" >&2
			return 1
		fi
		sleep 0.05
	done
	echo "$pid" >"$LAB_WORK/$name.listening"
}

log_lines() {
	local n=0
	[[ -e $LAB_WORK/$1.out ]] && n=$(wc -l <"$LAB_WORK/$1.out")
	echo "$n"
}

new_log() {
	local name=$1 from=$2 tries=20
	while (($(log_lines "$name") <= from && tries-- > 0)); do
		sleep 0.05
	done
	tail -n "+$((from + 1))" "$LAB_WORK/$name.out"
}

DAYTIME_LINE='^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 123][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]{4}'

assert_daytime() {
	[[ $1 =~ $DAYTIME_LINE$'\r'?$ ]] ||
		fail "expected one daytime line like 'Tue Nov 26 10:00:00 2024', got: '$1'"
}

# assert_usage_errors PROG CASE...: PROG run with each CASE (a string of
# words) exits 2 with one line on stderr.  The runs go side by side.
assert_usage_errors() {
	local prog=$1 i pids=() st errors bad=""
	shift
	for i in $(seq 0 $(($# - 1))); do
		local words=("$@")
		# shellcheck disable=SC2086 # a case is a list of words
		student "$prog" ${words[i]} >/dev/null 2>"$LAB_WORK/usage.$i.err" &
		pids+=("$!")
	done
	for i in "${!pids[@]}"; do
		st=0
		wait "${pids[i]}" || st=$?
		errors=$(wc -l <"$LAB_WORK/usage.$i.err")
		if ((st != 2 || errors != 1)); then
			bad+="  $prog ${*:i+1:1}: exited with status $st and wrote $errors line(s) on stderr:"$'\n'
			bad+=$(sed 's/^/      | /' "$LAB_WORK/usage.$i.err")$'\n'
		fi
	done
	[[ -z $bad ]] || fail "a bad command line must exit with status 2 and write exactly one line on stderr; instead:"$'\n'"$bad"
}
