# shellcheck shell=bash
#
# The local backend (LABNET_BACKEND=local, or `net --backend local ...`):
# the lab network on the one dual-stack host a container without
# NET_ADMIN and SYS_ADMIN has (Gradescope's), over its loopback.  No
# network namespace can be made there, nor an address added, nor a packet
# dropped: every dual-stack host of the topology is this machine; the
# IPv4-only and IPv6-only hosts cannot be built, and neither can what
# needs a firewall.
#
#   dns     127.0.0.53  ::1     dnsmasq, the zone's records as below
#   ds4srv  127.0.0.1   ::1     the other dual-stack hosts share the
#   ds6srv  127.0.0.1   ::1     loopback addresses: a server's UDP answer
#   dscli   127.0.0.1   ::1     to a client at 127.0.0.1 leaves from
#                               127.0.0.1, whatever address the query was
#                               sent to, and the client takes it only from
#                               there.  A PTR query for 127.0.0.1 gets the
#                               first of them in the topology, ds4srv
#   v4srv, v6srv, ...           the topology's addresses, as DNS records
#                               only (getnameinfo's lab looks them up)
#
# ::1 only where loopback has it (Docker gives it only with the IPv6
# sysctls): without it the hosts have IPv4 alone and no AAAA record, and
# what needs IPv6 is not built.  The machine's /etc/resolv.conf points at
# the dns host while a network is up (it is put back at the last `down`),
# so this backend runs only in a container, as root.
#
# What the suites ask of it (lib/net.bash): local_unbuildable says what
# cannot be built; local_dns_packets how many packets the dns host has
# taken in and sent, from dnsmasq's log of queries (each query one packet
# in and one answer back, over IPv4): they share this host's counters with
# the exchange they go with; host_port gives each host's servers ports of
# their own.  `exec --dns MODE` makes MODE's resolver (a slowdns on
# 127.0.0.200 + k; fast: dnsmasq) the machine's for the command's time,
# one such command at a time; `on` without --dns runs at once.
#
# Sourced by lib/net.bash (the address plan and what the suites ask) and
# by grader/net (the commands, after its helpers: die, usage, check_*).

LOCAL_STATE=/run/labnet-local
LOCAL_DNS=127.0.0.53
LOCAL_RESOLVERS=127.0.0.200

# Is ::1 on loopback?
local_has_ipv6() {
	local off line
	{ read -r off </proc/sys/net/ipv6/conf/lo/disable_ipv6; } 2>/dev/null && [[ $off == 0 ]] || return 1
	while read -r line; do
		[[ $line != "00000000000000000000000000000001 "* ]] || return 0
	done </proc/net/if_inet6
	return 1
}

# The address plan above, over the topology's TOPO_INET and TOPO_INET6.
# shellcheck disable=SC2004,SC2034 # lib/net.bash's associative arrays
local_plan() {
	local h v6=""
	local_has_ipv6 && v6=::1/128
	for h in "${TOPO_HOSTS[@]}"; do
		[[ ${TOPO_STACK[$h]} == dual ]] || continue
		TOPO_INET[$h]=127.0.0.1/8
		[[ $h != dns ]] || TOPO_INET[$h]=$LOCAL_DNS/8
		TOPO_INET6[$h]=$v6
		[[ -n $v6 ]] || TOPO_RECORDS[$h]=A
	done
}
local_plan

# local_unbuildable NEED...: says what of NEED (host names; ipv6: native
# IPv6 between hosts; firewall: dropping packets) this backend cannot
# build, one line ("one dual-stack machine, without v4cli (IPv4 only)");
# fails when it can build them all.
local_unbuildable() {
	local need missing=()
	for need; do
		case $need in
		ipv6) local_has_ipv6 || missing+=("IPv6 (no ::1 on loopback)") ;;
		firewall) missing+=("a firewall (no NET_ADMIN)") ;;
		*)
			case ${TOPO_STACK[$need]:-} in
			dual) ;;
			v4) missing+=("$need (IPv4 only)") ;;
			v6) missing+=("$need (IPv6 only)") ;;
			*) missing+=("$need (no such host)") ;;
			esac
			;;
		esac
	done
	((${#missing[@]})) || return 1
	local text
	printf -v text '%s, ' "${missing[@]}"
	echo "one dual-stack machine, without ${text%, }"
}

# The packets dnsmasq has taken in and answered so far, "V4 V6", by the
# source of each query it logged.
local_dns_packets() {
	awk '/ query\[/ { if ($NF ~ /:/) v6 += 2; else v4 += 2 }
		END { print v4 + 0, v6 + 0 }' "$LOCAL_STATE/dnsmasq.log" 2>/dev/null || echo "0 0"
}

# ---------------------------------------------------------------- commands

# The machine-wide part (dnsmasq, /etc/resolv.conf) is shared by every
# network that is up; the first up makes it, the last down undoes it.
local_networks() {
	local dir
	for dir in "$LOCAL_STATE"/net/*/; do
		[[ -e $dir/up ]] || continue
		dir=${dir%/}
		echo "${dir##*/}"
	done
}

local_resolv_conf() {
	printf '# lab network on loopback (grader/lib/net-local.bash): %s\nsearch %s\nnameserver %s\n' \
		"$1" "$TOPO_ZONE" "$2"
}

cmd_up() {
	local net='' lock
	while [ $# -gt 0 ]; do
		case $1 in
		--owner) shift 2 ;; # the grade ends its networks itself
		-*) usage "unknown option '$1'" ;;
		*) net=$1; shift ;;
		esac
	done
	net=${net:-${LABNET:-lab}}
	check_name "$net"
	[ "$EUID" -eq 0 ] || die "the local backend needs root"
	[ -e /.dockerenv ] || [ -e /run/.containerenv ] ||
		die "the local backend takes over this machine's resolver: it runs only in a container"
	require_tools dnsmasq
	mkdir -p "$LOCAL_STATE/net"
	exec {lock}>>"$LOCAL_STATE/lock"
	flock -w 30 "$lock" || die "$LOCAL_STATE/lock still busy after 30 s"
	if [ -z "$(local_networks)" ]; then
		[ -e "$LOCAL_STATE/resolv.conf.saved" ] || cat /etc/resolv.conf >"$LOCAL_STATE/resolv.conf.saved"
		# The zone's records, listening at the dns host's loopback address only.
		lab_dnsmasq_conf "lab network on loopback" "$LOCAL_STATE" |
			sed -e '/^domain=/d' -e "s/^listen-address=.*/listen-address=$LOCAL_DNS/" \
				>"$LOCAL_STATE/dnsmasq.conf"
		echo log-queries >>"$LOCAL_STATE/dnsmasq.conf"
		: >"$LOCAL_STATE/dnsmasq.log"
		dnsmasq --conf-file="$LOCAL_STATE/dnsmasq.conf" {lock}>&- ||
			die "dnsmasq did not start (see $LOCAL_STATE/dnsmasq.log)"
		local_resolv_conf fast "$LOCAL_DNS" >"$LOCAL_STATE/fast.conf"
		cat "$LOCAL_STATE/fast.conf" >/etc/resolv.conf
	fi
	mkdir -p "$LOCAL_STATE/net/$net"
	: >"$LOCAL_STATE/net/$net/up"
	echo "net: network '$net' is up (on loopback: the dual-stack hosts$(local_has_ipv6 || echo ", IPv4 only"))"
}

cmd_down() {
	[ $# -le 1 ] || usage "down takes one network name"
	local net=${1:-${LABNET:-lab}} lock pid
	check_name "$net"
	[ -d "$LOCAL_STATE/net" ] || return 0
	exec {lock}>>"$LOCAL_STATE/lock"
	flock -w 30 "$lock" || die "$LOCAL_STATE/lock still busy after 30 s"
	rm -rf "${LOCAL_STATE:?}/net/$net"
	[ -z "$(local_networks)" ] || return 0
	for pid in "$LOCAL_STATE"/dnsmasq.pid "$LOCAL_STATE"/resolvers/*.pid; do
		[ ! -s "$pid" ] || kill -TERM "$(<"$pid")" 2>/dev/null || true
		rm -f "$pid"
	done
	rm -rf "$LOCAL_STATE/resolvers"
	if [ -e "$LOCAL_STATE/resolv.conf.saved" ]; then
		cat "$LOCAL_STATE/resolv.conf.saved" >/etc/resolv.conf
		rm -f "$LOCAL_STATE/resolv.conf.saved"
	fi
}

# local_resolver MODE: RESOLV_CONF, the resolv.conf of MODE's slowdns,
# started on first use (one per mode, until the last down).
local_resolver() {
	local mode=$1 delay key dir=$LOCAL_STATE/resolvers addr pid n
	case $mode in
	fast)
		RESOLV_CONF=$LOCAL_STATE/fast.conf
		return
		;;
	silent) key=silent delay=never ;;
	delay:*)
		delay=${mode#delay:}
		[[ $delay =~ ^[0-9]{1,7}$ ]] || usage "bad --dns mode '$mode' (delay:MS with MS in milliseconds)"
		delay=$((10#$delay))
		key=delay-$delay
		;;
	*) usage "unknown --dns mode '$mode' (fast, delay:MS or silent)" ;;
	esac
	mkdir -p "$dir"
	if [ ! -e "$dir/$key.conf" ]; then
		n=$(find "$dir" -name '*.conf' | wc -l)
		addr=${LOCAL_RESOLVERS%.*}.$((${LOCAL_RESOLVERS##*.} + n))
		# Without the caller's lock (see cmd_exec), which it would hold for good.
		pid=$("$(lab_tool slowdns)" -b -d "$delay" -u "$LOCAL_DNS" "$addr" 2>>"$LOCAL_STATE/slowdns.log" {lock}>&-) ||
			die "slowdns did not start (see $LOCAL_STATE/slowdns.log)"
		echo "$pid" >"$dir/$key.pid"
		local_resolv_conf "resolver $mode" "$addr" >"$dir/$key.conf"
	fi
	RESOLV_CONF=$dir/$key.conf
}

cmd_exec() {
	local host mode lock stdin child why status=0
	parse_exec "$@"
	host=$EXEC_HOST mode=$EXEC_MODE
	set -- "${EXEC_ARGS[@]}"
	[ -e "$LOCAL_STATE/net/$EXEC_NET/up" ] || die "network '$EXEC_NET' is not up (start it with: grader/net up $EXEC_NET)"
	! why=$(local_unbuildable "$host") || die "host $host is not built here: $why"
	# The machine's resolver is MODE's for this command's time: one such
	# command at a time (`on` without --dns does not come here: see lab_on).
	exec {lock}>>"$LOCAL_STATE/resolver.lock"
	flock "$lock"
	local_resolver "$mode"
	cat "$RESOLV_CONF" >/etc/resolv.conf
	# In the background with this standard input, not /dev/null.
	exec {stdin}<&0
	"$@" <&"$stdin" {stdin}<&- {lock}>&- &
	child=$!
	trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
	while :; do
		status=0
		wait "$child" || status=$?
		kill -0 "$child" 2>/dev/null || break
	done
	cat "$LOCAL_STATE/fast.conf" >/etc/resolv.conf
	exit "$status"
}

cmd_shell() {
	if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage "shell needs a host"; fi
	check_host "$1"
	[ -e "$LOCAL_STATE/net/${2:-${LABNET:-lab}}/up" ] || die "network '${2:-${LABNET:-lab}}' is not up"
	local why
	! why=$(local_unbuildable "$1") || die "host $1 is not built here: $why"
	echo "net: shell on $1 (this machine, on loopback); 'exit' leaves it" >&2
	exec bash -i
}

cmd_status() {
	[ $# -le 1 ] || usage "status takes one network name"
	local net=${1:-${LABNET:-lab}}
	check_name "$net"
	[ -e "$LOCAL_STATE/net/$net/up" ] || die "network '$net' is not up (start it with: grader/net up $net)"
	echo "net: network '$net' is up"
}

cmd_list() {
	[ $# -eq 0 ] || usage "list takes no arguments"
	local_networks
}
