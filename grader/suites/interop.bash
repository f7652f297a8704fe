# shellcheck shell=bash
# interop.bash - what the suites of labs 02, 03, 05, 06 and 07 share (`load
# interop`, after `load ../lib/lab`): telling which IP version carried an
# exchange from the server host's own counters, servers in the background,
# the grader's own daytime client and server, and the checks of a daytime
# exchange.
#
# Those that take a VAR print their value, or with VAR put it in the
# variable VAR instead (lab_set: no subshell, and some are called for
# every cell of a figure).  VAR must not be one of the function's own locals (_-prefixed).
#
#   ip_counters HOST [VAR]     "V4 V6": the IPv4 and IPv6 packets HOST has
#                              taken in so far, read by tools/counters on
#                              HOST by column name from its own (per network
#                              namespace) /proc/net/snmp, Ip InDelivers, and
#                              /proc/net/snmp6, Ip6InDelivers; ICMP messages
#                              (Icmp InMsgs, Icmp6InMsgs) are taken off, see
#                              below, and so are the lab DNS server's packets
#                              where it shares HOST's counters
#                              (lab_dns_packets: every host on one machine)
#   settled_counters HOST [VAR]
#                              ip_counters, once HOST has gone quiet
#   forwarded_counters HOST [VAR]
#                              "V4 V6": the packets HOST has forwarded so far
#                              (Ip ForwDatagrams, Ip6OutForwDatagrams): what a
#                              NAT64 host passes on is neither delivered to it
#                              nor sent by it
#   measure [--client CLIENT] HOST CMD...
#                              runs CMD in this shell (`measure ds6srv run ...`)
#                              and sets DV4, DV6 (what HOST received meanwhile)
#                              and CARRIED: IPv4, IPv6, both or none; with
#                              --client, CV4 and CV6 too (what CLIENT received)
#   carried_by DV4 DV6 [VAR]   IPv4, IPv6, both or none
#   kit_bg NAME HOST CMD...    runs a kit program (never a student's) on HOST in
#                              the background; output in $LAB_WORK/NAME.out/.err
#   kit_stop NAME              stops it
#   wait_server NAME HOST PORT tcp|udp
#                              waits until the server started as NAME (kit_bg or
#                              student_bg) listens on HOST, or fails as soon as
#                              it has exited, with its messages
#   log_lines NAME [VAR]       how many lines server NAME has logged so far
#   log_since NAME FROM        the lines server NAME logged after line FROM
#   wait_log NAME FROM         waits a second at most for server NAME to log
#                              a line after line FROM
#   new_log NAME FROM          wait_log, then log_since
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

# _counters HOST VAR OPTION...: tools/counters OPTION... on HOST, in VAR (or
# printed); the tool's path is looked up once per shell.  Its line goes
# through a file of this shell's own rather than a command substitution,
# which would fork the whole (large) bats shell for every reading.
_counters() {
	local _c_host=$1 _c_var=$2 _c_file=${BATS_RUN_TMPDIR:-${TMPDIR:-/tmp}}/counters.$BASHPID _c_read
	shift 2
	[[ -n ${_COUNTERS_TOOL:-} ]] || _COUNTERS_TOOL=$(lab_tool counters) || return
	on "$_c_host" "$_COUNTERS_TOOL" "$@" >"$_c_file" || return
	read -r _c_read <"$_c_file" || return
	lab_set "$_c_var" "$_c_read"
}

ip_counters() {
	_dns_corrected "$1" "${2:-}"
}

# settled_counters HOST [VAR]: ip_counters once HOST has stopped taking in
# packets (two readings 100 ms apart agree; about 1 s at most, counters
# -s), so that the last packets of an earlier exchange (a FIN, an ACK, a
# retransmission on a busy machine) are not counted in the next.
settled_counters() {
	_dns_corrected "$1" "${2:-}" -s
}

# _dns_corrected HOST VAR OPTION...: _counters, less what lab_dns_packets
# says the lab's DNS server added (only where hosts share counters: 0 0
# elsewhere, so it is not asked).
_dns_corrected() {
	local _d_read _d_dns="0 0"
	_counters "$1" _d_read "${@:3}" || return
	! lab_shared_counters || _d_dns=$(lab_dns_packets)
	lab_set "$2" "$((${_d_read% *} - ${_d_dns% *})) $((${_d_read#* } - ${_d_dns#* }))"
}

forwarded_counters() {
	_counters "$1" "${2:-}" -f
}

measure() {
	local _client="" _host _before _after _cbefore _cafter _rc=0
	if [[ $1 == --client ]]; then
		_client=$2
		shift 2
	fi
	_host=$1
	shift
	# shellcheck disable=SC2034 # for the suites
	DV4="" DV6="" CARRIED=""
	[[ -z $_client ]] || CV4="" CV6=""
	settled_counters "$_host" _before || { echo "cannot read the counters of $_host" >&2; return 1; }
	[[ -z $_client ]] || ip_counters "$_client" _cbefore ||
		{ echo "cannot read the counters of $_client" >&2; return 1; }
	"$@" || _rc=$?
	ip_counters "$_host" _after || { echo "cannot read the counters of $_host" >&2; return 1; }
	[[ -z $_client ]] || ip_counters "$_client" _cafter ||
		{ echo "cannot read the counters of $_client" >&2; return 1; }
	DV4=$((${_after% *} - ${_before% *})) DV6=$((${_after#* } - ${_before#* }))
	if [[ -n $_client ]]; then
		# shellcheck disable=SC2034 # for the suites
		CV4=$((${_cafter% *} - ${_cbefore% *})) CV6=$((${_cafter#* } - ${_cbefore#* }))
	fi
	carried_by "$DV4" "$DV6" CARRIED
	return "$_rc"
}

# carried_by DV4 DV6 [VAR]: IPv4, IPv6, both or none.
carried_by() {
	local _by=none
	if (($1 > 0 && $2 > 0)); then
		_by=both
	elif (($1 > 0)); then
		_by=IPv4
	elif (($2 > 0)); then
		_by=IPv6
	fi
	lab_set "${3:-}" "$_by"
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
	local name=$1 host=$2 port=$3 proto=$4 pid seen="" flag=-Hltn deadline
	[[ $proto == udp ]] && flag=-Hlun
	read -r pid _ <"$LAB_WORK/$name.pid"
	# Seen listening before, and still running: no need to ask the host again.
	{ read -r seen <"$LAB_WORK/$name.listening"; } 2>/dev/null || true
	if [[ $seen == "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
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
		nap 0.05
	done
	echo "$pid" >"$LAB_WORK/$name.listening"
}

# log_lines NAME [VAR]: counted as wc -l does, a last line not yet ended
# left out.
log_lines() {
	local _lines=() _n
	[[ ! -e $LAB_WORK/$1.out ]] || mapfile _lines <"$LAB_WORK/$1.out"
	_n=${#_lines[@]}
	((_n == 0)) || [[ ${_lines[-1]} == *$'\n' ]] || _n=$((_n - 1))
	lab_set "${2:-}" "$_n"
}

log_since() {
	local lines=()
	if [[ ! -e $LAB_WORK/$1.out ]]; then
		echo "log_since: $LAB_WORK/$1.out: no such file" >&2
		return 1
	fi
	mapfile -s "$2" lines <"$LAB_WORK/$1.out"
	((${#lines[@]} == 0)) || printf %s "${lines[@]}"
}

wait_log() {
	local n tries=20
	log_lines "$1" n
	while ((n <= $2 && tries-- > 0)); do
		nap 0.05
		log_lines "$1" n
	done
}

new_log() {
	wait_log "$1" "$2"
	log_since "$1" "$2"
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
