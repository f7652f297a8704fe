#!/usr/bin/env bats
# Lab 05-interop: Figure 12.5, every cell, TCP and UDP, observed on the lab network.
#
# Hidden tests (tagged hidden, run by grade-all, not by make grade) check
# only what the lab's README or its skeleton's TODO comments ask for:
# harder cases of the behaviour stated there, never behaviour they leave
# unsaid.
# network: yes
#
# Beside the book's figure, a view "with NAT64/DNS64" of its IPv6-only row:
# the cells the book marks (no) for v6cli (v4srv, ds4srv) again, with
# mappedcli's resolver the lab's DNS64 (`--dns dns64`: unbound on dns,
# tayga on nat64, see grader/net and grader/topology).  There the client
# gets an AAAA record DNS64 synthesised under the NAT64 prefix (for ds4srv
# too: DNS64 ignores its AAAA, whose address serves nothing) and the
# exchange is IPv6 at the client and IPv4 at the server: both hosts'
# counters say so, and the server logs an address of the NAT64's pool.

load ../lib/lab
load interop

# The columns of the figure, one server per host and protocol: the provided
# daytimesrv4 on v4srv and ds4srv, the student's daytimesrv6 on v6srv and
# ds6srv, and daytimesrv6 -6 on ds6srv, on its own port, as an extra column
# "ds6srv(-6)".  The rows: the provided daytimecli4 (the IPv4 client) and
# the student's mappedcli (the IPv6 client) on the client hosts.
PORT=1350 V6ONLY_PORT=1351
COLUMNS=(v4srv v6srv ds4srv ds6srv "ds6srv(-6)")
ROWS=("v4 v4cli" "v6 v6cli" "v4 dscli" "v6 dscli")
# The view with NAT64/DNS64: its figure's name, and its cells (row of ROWS,
# column of COLUMNS): the (no) cells of the IPv6-only client.
NAT64_FIGURE="12.5 with NAT64/DNS64"
NAT64_ROW="v6 v6cli" NAT64_COLUMNS=(v4srv ds4srv)
# Where each row and column is in the figure, for figure_cell.
declare -gA ROW_INDEX=() COLUMN_INDEX=()
for i in "${!ROWS[@]}"; do ROW_INDEX[${ROWS[i]}]=$i; done
for i in "${!COLUMNS[@]}"; do COLUMN_INDEX[${COLUMNS[i]}]=$i; done
unset i

# server_name COLUMN PROTO [VAR]: the name of the column's server (for
# kit_bg, student_bg, its log), printed or in VAR.
server_name() {
	local col=${1/(-6)/-v6only}
	lab_set "${3:-}" "$col-$2"
}

# setup_file: the servers started, every cell measured (each cell's test
# then reads what its exchange left), the servers stopped.
setup_file() {
	local col proto host name chains=()
	start_servers
	for col in "${COLUMNS[@]}"; do
		column_built "$col" || continue
		column_target "$col"
		for proto in tcp udp; do
			server_name "$col" "$proto" name
			wait_server "$name" "${col%(*}" "$COL_PORT" "$proto" 2>"$LAB_WORK/$name.failed" || true
		done
	done
	mkdir -p "$LAB_WORK/cells"
	# One chain of cells per server host, the chains side by side: the
	# counters of a host then see one exchange at a time.  Where the hosts
	# share one machine's counters, one chain after another.
	for host in v4srv v6srv ds4srv ds6srv; do
		column_built "$host" || continue
		if lab_shared_counters; then
			run_chain "$host"
		else
			run_chain "$host" &
			chains+=("$!")
		fi
	done
	((${#chains[@]} == 0)) || wait "${chains[@]}"
	stop_servers
}

# column_built COLUMN: the lab network has the column's server host.
column_built() {
	! lab_unbuildable "${1%(*}" >/dev/null
}

# cell_needs FAMILY CLIENT COLUMN: what the cell needs of the lab network
# (see graded_here): its hosts, and native IPv6 for the IPv6 client.
cell_needs() {
	CELL_NEEDS=("$2" "${3%(*}")
	[[ $1 != v6 ]] || CELL_NEEDS+=(ipv6)
}

start_servers() {
	# shellcheck disable=SC2034 # what student_bg reads
	local BATS_TEST_NUMBER=0 BATS_TEST_DESCRIPTION="the servers of Figure 12.5" STUDENT_TIMEOUT=120
	local col name port
	for col in "${COLUMNS[@]}"; do
		column_built "$col" || continue
		column_target "$col" || return
		port=$COL_PORT
		server_name "$col" tcp name
		case $col in
		*4srv)
			kit_bg "$name" "$col" "$LAB_DIR/daytimesrv4" "$port"
			kit_bg "${name%tcp}udp" "$col" "$LAB_DIR/daytimesrv4" -u "$port"
			;;
		*"(-6)")
			student_bg "$name" --on "${col%(*}" daytimesrv6 -6 "$port"
			student_bg "${name%tcp}udp" --on "${col%(*}" daytimesrv6 -6 -u "$port"
			;;
		*)
			student_bg "$name" --on "$col" daytimesrv6 "$port"
			student_bg "${name%tcp}udp" --on "$col" daytimesrv6 -u "$port"
			;;
		esac
	done
}

stop_servers() {
	local col proto name
	for col in "${COLUMNS[@]}"; do
		column_built "$col" || continue
		for proto in tcp udp; do
			server_name "$col" "$proto" name
			if [[ $col == *4srv ]]; then
				kit_stop "$name"
			else
				stop_student "$name" >/dev/null 2>&1 || true
			fi
		done
	done
}

# column_port COLUMN: the port of the column's servers (on one machine,
# each host's of its own: see host_port).
column_port() {
	if [[ $1 == *"(-6)" ]]; then host_port "${1%(*}" "$V6ONLY_PORT"; else host_port "$1" "$PORT"; fi
}

# column_target COLUMN: sets COL_FQDN and COL_PORT, the name of the
# column's server host and its port, looked up once per shell (setup_file
# does, before the chains): every cell asks.
declare -gA COLUMN_FQDN=() COLUMN_PORT=()
column_target() {
	if [[ -z ${COLUMN_PORT[$1]:-} ]]; then
		COLUMN_FQDN[$1]=$(host_fqdn "${1%(*}") || return
		COLUMN_PORT[$1]=$(column_port "$1") || return
	fi
	COL_FQDN=${COLUMN_FQDN[$1]} COL_PORT=${COLUMN_PORT[$1]}
}

# run_chain HOST: every cell of the columns served on HOST, one after
# another, so that each is measured alone; then the view with NAT64/DNS64.
run_chain() {
	local col proto row
	for col in "${COLUMNS[@]}"; do
		[[ ${col%(*} == "$1" ]] || continue
		for proto in tcp udp; do
			for row in "${ROWS[@]}"; do
				# shellcheck disable=SC2086 # a row is "FAMILY HOST"
				cell_needs $row "$col"
				lab_unbuildable "${CELL_NEEDS[@]}" >/dev/null && continue
				# shellcheck disable=SC2086
				run_cell "$proto" $row "$col"
			done
		done
	done
	for col in "${NAT64_COLUMNS[@]}"; do
		[[ $col == "$1" ]] || continue
		# shellcheck disable=SC2086 # a row is "FAMILY HOST"
		cell_needs $NAT64_ROW "$col"
		lab_unbuildable "${CELL_NEEDS[@]}" nat64 >/dev/null && continue
		for proto in tcp udp; do
			# shellcheck disable=SC2086
			run_cell "$proto" $NAT64_ROW "$col" nat64
		done
	done
}

# cell_key PROTO FAMILY CLIENT COLUMN [nat64]: sets CELL_KEY, the cell's
# name in $LAB_WORK/cells.
cell_key() {
	local server
	server_name "$4" x server
	CELL_KEY=$1-$2-$3-$server${5:+-$5}
}

# run_cell PROTO FAMILY CLIENT COLUMN [nat64]: one exchange of the figure (in
# run_chain), or with nat64 of its view with NAT64/DNS64, measured on the
# server host (with nat64 on the client host too); leaves in
# $LAB_WORK/cells/KEY.* the client's stdout and stderr, what the server
# logged, and "STATUS MILLISECONDS DV4 DV6" (the server host's counters),
# with nat64 then "CV4 CV6" (the client host's).  A cell whose counters
# could not be read has no KEY.result (measure said why).
run_cell() {
	local col=$4 key also=() rc=0
	cell_key "$@"
	key=$LAB_WORK/cells/$CELL_KEY
	[[ -z ${5:-} ]] || also=(--client "$3")
	measure "${also[@]}" "${col%(*}" timed_exchange "$key" "$@" || rc=$?
	[[ -n $DV4 ]] || return 0
	echo "$rc $CELL_MS $DV4 $DV6${5:+ $CV4 $CV6}" >"$key.result"
	log_since "$CELL_SERVER" "$CELL_FROM" >"$key.log"
}

# timed_exchange KEY PROTO FAMILY CLIENT COLUMN [nat64]: cell_exchange, its
# stdout and stderr in KEY.out and KEY.err; sets CELL_MS, how long it took.
timed_exchange() {
	local key=$1 started rc=0
	shift
	started=${EPOCHREALTIME/./}
	cell_exchange "$@" >"$key.out" 2>"$key.err" || rc=$?
	CELL_MS=$(((${EPOCHREALTIME/./} - started) / 1000))
	return "$rc"
}

# cell_exchange PROTO FAMILY CLIENT COLUMN [nat64]: the cell's client asks
# the column's server; sets CELL_SERVER, the server's name, and CELL_FROM,
# how many lines it had logged before.
cell_exchange() {
	local proto=$1 family=$2 client=$3 col=$4 via=${5:-} udp=() dns=() rc=0
	[[ $via == nat64 ]] && dns=(--dns dns64)
	[[ $proto == udp ]] && udp=(-u)
	cell_key "$@"
	column_target "$col" || return
	server_name "$col" "$proto" CELL_SERVER
	# shellcheck disable=SC2034 # what student reads
	local BATS_TEST_NUMBER=$CELL_KEY BATS_TEST_DESCRIPTION="${proto^^}: IPv6 client on $client, server on $col"
	log_lines "$CELL_SERVER" CELL_FROM
	if [[ $family == v4 ]]; then
		on "$client" "$LAB_DIR/daytimecli4" "${udp[@]}" "$COL_FQDN" "$COL_PORT" || rc=$?
	else
		student --on "$client" "${dns[@]}" mappedcli "${udp[@]}" "$COL_FQDN" "$COL_PORT" || rc=$?
	fi
	# The server may log just after it answered: give it a moment.
	((rc != 0)) || wait_log "$CELL_SERVER" "$CELL_FROM"
	return "$rc"
}

# figure_cell PROTO FAMILY CLIENT COLUMN EXPECT OBSERVED [FIGURE]: records
# this test's cell of the figure (12.5, or FIGURE: a view of it), at its
# row and column (see ROWS, COLUMNS).
figure_cell() {
	local family=IPv4
	[[ $2 == v6 ]] && family=IPv6
	observe_cell "${7:-12.5}" "${1^^}" "$family client on $3" "${ROW_INDEX[$2 $3]-}" "$4" \
		"${COLUMN_INDEX[$4]-}" "$5" "$6"
}

# cell PROTO FAMILY CLIENT COLUMN EXPECT [WHY]: checks one cell of the figure
# against what the grader measured.  EXPECT: IPv4, IPv6, "no*, then IPv4"
# or no; WHY, for no: "no address", unreachable, refused, or "refused,
# then unreachable".
cell() {
	local proto=$1 family=$2 client=$3 col=$4 expect=$5 why=${6:-}
	local key rc ms observed prog=daytimecli4 fqdn server
	local -a out err log
	[[ $family == v6 ]] && prog=mappedcli
	cell_needs "$family" "$client" "$col"
	graded_here "${CELL_NEEDS[@]}"
	column_target "$col"
	fqdn=$COL_FQDN
	server_name "$col" "$proto" server
	cell_key "$proto" "$family" "$client" "$col"
	key=$LAB_WORK/cells/$CELL_KEY
	if [[ ! -e $key.result ]]; then
		figure_cell "$proto" "$family" "$client" "$col" "$expect" "?"
		fail "the cell was not measured (see the first test's output)"
	fi
	read -r rc ms DV4 DV6 <"$key.result"
	carried_by "$DV4" "$DV6" CARRIED
	mapfile -t out <"$key.out"
	mapfile -t err <"$key.err"
	mapfile -t log <"$key.log"

	if ((rc != 0)) || [[ $CARRIED == none ]]; then
		observed=no
	elif [[ $CARRIED == both && ${log[0]:-} == *"(IPv4"* ]]; then
		observed="no*, then IPv4"
	else
		observed=$CARRIED
	fi
	figure_cell "$proto" "$family" "$client" "$col" "$expect" "$observed"

	{
		echo "$prog on $client, asking $fqdn port $COL_PORT ($proto):"
		echo "  exit status $rc after $ms ms; stdout:"
		printf '    %s\n' "${out[@]}"
		echo "  stderr:"
		printf '    %s\n' "${err[@]}"
		echo "  the server logged:"
		printf '    %s\n' "${log[@]}"
		echo "  ${col%(*} took in $DV4 IPv4 and $DV6 IPv6 packets (TCP and UDP)"
		[[ ! -s $LAB_WORK/$server.failed ]] || sed 's/^/  /' "$LAB_WORK/$server.failed"
	} >"$key.story"
	[[ ! -s $LAB_WORK/$server.failed ]] ||
		fail "$(echo "the column's server did not run, so this cell shows nothing of it:"; cat "$key.story")"
	[[ $observed == "$expect" ]] ||
		fail "$(echo "the grader observed '$observed', the book says '$expect'"; cat "$key.story")"
	if [[ $expect == no ]]; then
		cell_failed_rightly "$why" || fail "$(cat "$key.story")"
	else
		cell_served || fail "$(cat "$key.story")"
	fi
}

# cell_served: the client printed the time and said where it connected; the
# server logged this client, in the form its socket gives (mapped or not).
cell_served() {
	local peer kind=IPv4 to kind_to
	if [[ $CARRIED == IPv6 ]]; then
		peer=$(host_addr "$client" inet6) kind=IPv6 to=$(host_addr "${col%(*}" inet6) kind_to=IPv6
	else
		peer=$(host_addr "$client" inet) to=$(host_addr "${col%(*}" inet) kind_to=IPv4
		if [[ $col != *4srv ]]; then
			peer=::ffff:$peer kind=IPv4-mapped
		fi
		if [[ $prog == mappedcli ]]; then
			to=::ffff:$to kind_to=IPv4-mapped
		fi
	fi
	if ((${#out[@]} != 1)) || ! [[ ${out[0]} =~ $DAYTIME_LINE ]]; then
		echo "expected one daytime line on stdout" >&2
		return 1
	fi
	if ((${#log[@]} != 1)) || ! [[ ${log[0]} =~ ^$proto\ from\ $peer\ port\ [0-9]+\ \($kind\)$ ]]; then
		echo "expected the server to log one line: '$proto from $peer port N ($kind)'" >&2
		return 1
	fi
	if [[ ${err[-1]:-} != "Connected to $to ($kind_to)" ]]; then
		echo "expected $prog's last trace line to be 'Connected to $to ($kind_to)'" >&2
		return 1
	fi
	if [[ $expect == "no*, then IPv4" ]]; then
		local v6addr
		v6addr=$(host_addr "${col%(*}" inet6)
		if [[ ${err[0]:-} != "Trying $v6addr..." || ${err[1],,} != *"$v6addr"*refused* ]]; then
			echo "expected $prog to try $v6addr first, and be refused" >&2
			return 1
		fi
	fi
}

# cell_failed_rightly WHY: the client failed for the book's reason, which
# is known at once (no attempt timed out), saying so; the server logged
# nothing.
cell_failed_rightly() {
	local last=${err[-1]:-} tried=no
	[[ ${err[*]} == *Trying* ]] && tried=yes
	if ((rc != 1)); then
		echo "expected $prog to fail with exit status 1" >&2
		return 1
	fi
	if [[ $last != "$prog: ${fqdn}: "* ]] || ((${#log[@]} > 0)); then
		echo "expected '$prog: $fqdn: REASON' last, and nothing logged by the server" >&2
		return 1
	fi
	case $why in
	"no address") [[ $tried == no && $CARRIED == none ]] ;;
	unreachable) [[ $tried == yes && $CARRIED == none && ${last,,} == *unreachable* ]] ;;
	refused) [[ $tried == yes && $CARRIED == "IPv${family#v}" && ${last,,} == *refused* ]] ;;
	"refused, then unreachable")
		[[ $CARRIED == IPv6 && ${err[*],,} == *refused* && ${last,,} == *unreachable* ]] ;;
	esac || {
		echo "expected it to fail because: $why (tried an address: $tried; packets: $CARRIED)" >&2
		return 1
	}
}

# points: 0
@test "TCP: IPv4 client on v4cli reaches IPv4 server on v4srv" { cell tcp v4 v4cli v4srv IPv4; }
# points: 0
@test "TCP: IPv4 client on v4cli cannot reach IPv6 server on v6srv" { cell tcp v4 v4cli v6srv no "no address"; }
# points: 0
@test "TCP: IPv4 client on v4cli reaches IPv4 server on ds4srv" { cell tcp v4 v4cli ds4srv IPv4; }
# points: 1
@test "TCP: IPv4 client on v4cli reaches IPv6 server on ds6srv" { cell tcp v4 v4cli ds6srv IPv4; }
# points: 1
@test "TCP: IPv4 client on v4cli cannot reach V6ONLY server on ds6srv(-6)" { cell tcp v4 v4cli "ds6srv(-6)" no refused; }
# points: 1
@test "TCP: IPv6 client on v6cli cannot reach IPv4 server on v4srv" { cell tcp v6 v6cli v4srv no unreachable; }
# points: 1
@test "TCP: IPv6 client on v6cli reaches IPv6 server on v6srv" { cell tcp v6 v6cli v6srv IPv6; }
# points: 1
@test "TCP: IPv6 client on v6cli cannot reach IPv4 server on ds4srv" { cell tcp v6 v6cli ds4srv no "refused, then unreachable"; }
# points: 1
@test "TCP: IPv6 client on v6cli reaches IPv6 server on ds6srv" { cell tcp v6 v6cli ds6srv IPv6; }
# points: 1
@test "TCP: IPv6 client on v6cli reaches V6ONLY server on ds6srv(-6)" { cell tcp v6 v6cli "ds6srv(-6)" IPv6; }
# points: 0
@test "TCP: IPv4 client on dscli reaches IPv4 server on v4srv" { cell tcp v4 dscli v4srv IPv4; }
# points: 0
@test "TCP: IPv4 client on dscli cannot reach IPv6 server on v6srv" { cell tcp v4 dscli v6srv no "no address"; }
# points: 0
@test "TCP: IPv4 client on dscli reaches IPv4 server on ds4srv" { cell tcp v4 dscli ds4srv IPv4; }
# points: 1
@test "TCP: IPv4 client on dscli reaches IPv6 server on ds6srv" { cell tcp v4 dscli ds6srv IPv4; }
# points: 1
@test "TCP: IPv4 client on dscli cannot reach V6ONLY server on ds6srv(-6)" { cell tcp v4 dscli "ds6srv(-6)" no refused; }
# points: 1
@test "TCP: IPv6 client on dscli reaches IPv4 server on v4srv" { cell tcp v6 dscli v4srv IPv4; }
# points: 1
@test "TCP: IPv6 client on dscli reaches IPv6 server on v6srv" { cell tcp v6 dscli v6srv IPv6; }
# points: 2
@test "TCP: IPv6 client on dscli reaches IPv4 server on ds4srv after a refused IPv6 attempt" { cell tcp v6 dscli ds4srv "no*, then IPv4"; }
# points: 1
@test "TCP: IPv6 client on dscli reaches IPv6 server on ds6srv" { cell tcp v6 dscli ds6srv IPv6; }
# points: 1
@test "TCP: IPv6 client on dscli reaches V6ONLY server on ds6srv(-6)" { cell tcp v6 dscli "ds6srv(-6)" IPv6; }
# points: 0
@test "UDP: IPv4 client on v4cli reaches IPv4 server on v4srv" { cell udp v4 v4cli v4srv IPv4; }
# points: 0
@test "UDP: IPv4 client on v4cli cannot reach IPv6 server on v6srv" { cell udp v4 v4cli v6srv no "no address"; }
# points: 0
@test "UDP: IPv4 client on v4cli reaches IPv4 server on ds4srv" { cell udp v4 v4cli ds4srv IPv4; }
# points: 1
@test "UDP: IPv4 client on v4cli reaches IPv6 server on ds6srv" { cell udp v4 v4cli ds6srv IPv4; }
# points: 1
@test "UDP: IPv4 client on v4cli cannot reach V6ONLY server on ds6srv(-6)" { cell udp v4 v4cli "ds6srv(-6)" no refused; }
# points: 1
@test "UDP: IPv6 client on v6cli cannot reach IPv4 server on v4srv" { cell udp v6 v6cli v4srv no unreachable; }
# points: 1
@test "UDP: IPv6 client on v6cli reaches IPv6 server on v6srv" { cell udp v6 v6cli v6srv IPv6; }
# points: 1
@test "UDP: IPv6 client on v6cli cannot reach IPv4 server on ds4srv" { cell udp v6 v6cli ds4srv no "refused, then unreachable"; }
# points: 1
@test "UDP: IPv6 client on v6cli reaches IPv6 server on ds6srv" { cell udp v6 v6cli ds6srv IPv6; }
# points: 1
@test "UDP: IPv6 client on v6cli reaches V6ONLY server on ds6srv(-6)" { cell udp v6 v6cli "ds6srv(-6)" IPv6; }
# points: 0
@test "UDP: IPv4 client on dscli reaches IPv4 server on v4srv" { cell udp v4 dscli v4srv IPv4; }
# points: 0
@test "UDP: IPv4 client on dscli cannot reach IPv6 server on v6srv" { cell udp v4 dscli v6srv no "no address"; }
# points: 0
@test "UDP: IPv4 client on dscli reaches IPv4 server on ds4srv" { cell udp v4 dscli ds4srv IPv4; }
# points: 1
@test "UDP: IPv4 client on dscli reaches IPv6 server on ds6srv" { cell udp v4 dscli ds6srv IPv4; }
# points: 1
@test "UDP: IPv4 client on dscli cannot reach V6ONLY server on ds6srv(-6)" { cell udp v4 dscli "ds6srv(-6)" no refused; }
# points: 1
@test "UDP: IPv6 client on dscli reaches IPv4 server on v4srv" { cell udp v6 dscli v4srv IPv4; }
# points: 1
@test "UDP: IPv6 client on dscli reaches IPv6 server on v6srv" { cell udp v6 dscli v6srv IPv6; }
# points: 2
@test "UDP: IPv6 client on dscli reaches IPv4 server on ds4srv after a refused IPv6 attempt" { cell udp v6 dscli ds4srv "no*, then IPv4"; }
# points: 1
@test "UDP: IPv6 client on dscli reaches IPv6 server on ds6srv" { cell udp v6 dscli ds6srv IPv6; }
# points: 1
@test "UDP: IPv6 client on dscli reaches V6ONLY server on ds6srv(-6)" { cell udp v6 dscli "ds6srv(-6)" IPv6; }

# nat64_cell PROTO COLUMN: checks the cell of the view with NAT64/DNS64 at
# COLUMN (of NAT64_COLUMNS): mappedcli on v6cli, its resolver the lab's
# DNS64, reaches the IPv4 server there: IPv6 at the client, IPv4 at the
# server (both hosts' counters), the server logging an address of the
# NAT64's pool, the client connected to the server's IPv4 address embedded
# under the NAT64 prefix (the topology's).
nat64_cell() {
	local proto=$1 col=$2 family client key rc ms observed expect="IPv6 to IPv4" pool prefix target
	local -a out err log
	read -r family client <<<"$NAT64_ROW"
	cell_needs "$family" "$client" "$col"
	graded_here "${CELL_NEEDS[@]}" nat64
	cell_key "$proto" "$family" "$client" "$col" nat64
	key=$LAB_WORK/cells/$CELL_KEY
	if [[ ! -e $key.result ]]; then
		figure_cell "$proto" "$family" "$client" "$col" "$expect" "?" "$NAT64_FIGURE"
		fail "the cell was not measured (see the first test's output)"
	fi
	read -r rc ms DV4 DV6 CV4 CV6 <"$key.result"
	mapfile -t out <"$key.out"
	mapfile -t err <"$key.err"
	mapfile -t log <"$key.log"
	if ((rc != 0)); then
		observed=no
	else
		observed="$(carried_by "$CV4" "$CV6") to $(carried_by "$DV4" "$DV6")"
	fi
	figure_cell "$proto" "$family" "$client" "$col" "$expect" "$observed" "$NAT64_FIGURE"
	read -r _ pool prefix _ <<<"$TOPO_NAT64"
	nat64_address "$prefix" "$(host_addr "$col" inet)" target
	{
		echo "mappedcli on $client with the lab's DNS64, asking $(host_fqdn "$col") port $PORT ($proto):"
		echo "  exit status $rc after $ms ms; stdout:"
		printf '    %s\n' "${out[@]}"
		echo "  stderr:"
		printf '    %s\n' "${err[@]}"
		echo "  the server logged:"
		printf '    %s\n' "${log[@]}"
		echo "  $client took in $CV4 IPv4 and $CV6 IPv6 packets, $col $DV4 IPv4 and $DV6 IPv6 (TCP and UDP)"
	} >"$key.story"
	[[ $observed == "$expect" && $CV4 == 0 && $DV6 == 0 ]] ||
		fail "$(echo "the grader observed '$observed', the view with NAT64/DNS64 says '$expect'"; cat "$key.story")"
	if ((${#out[@]} != 1)) || ! [[ ${out[0]} =~ $DAYTIME_LINE ]]; then
		fail "$(echo "expected one daytime line on stdout"; cat "$key.story")"
	fi
	if ! { ((${#log[@]} == 1)) && [[ ${log[0]} =~ ^$proto\ from\ ([0-9.]+)\ port\ [0-9]+\ \(IPv4\)$ ]] &&
		in_network "${BASH_REMATCH[1]}" "$pool"; }; then
		fail "$(echo "expected the server to log one client from the NAT64's pool ($pool)"; cat "$key.story")"
	fi
	[[ ${err[-1]:-} == "Connected to $target (IPv6)" ]] ||
		fail "$(echo "expected mappedcli's last trace line to be 'Connected to $target (IPv6)'"; cat "$key.story")"
}

# points: 1
@test "TCP with NAT64/DNS64: IPv6 client on v6cli reaches IPv4 server on v4srv, IPv6 at the client, IPv4 at the server" { nat64_cell tcp v4srv; }
# points: 1
@test "TCP with NAT64/DNS64: IPv6 client on v6cli reaches IPv4 server on ds4srv (DNS64 ignores its AAAA), IPv6 at the client, IPv4 at the server" { nat64_cell tcp ds4srv; }
# points: 1
@test "UDP with NAT64/DNS64: IPv6 client on v6cli reaches IPv4 server on v4srv, IPv6 at the client, IPv4 at the server" { nat64_cell udp v4srv; }
# points: 1
@test "UDP with NAT64/DNS64: IPv6 client on v6cli reaches IPv4 server on ds4srv (DNS64 ignores its AAAA), IPv6 at the client, IPv4 at the server" { nat64_cell udp ds4srv; }

# points: 4
@test "every daytimesrv6 and mappedcli run is clean under valgrind" {
	assert_valgrind_clean
}
