# shellcheck shell=bash
#
# The local backend (LABNET_BACKEND=local, or `net --backend local ...`):
# it defines the functions every backend defines (see lib/net.bash); its
# own start with local_.  The lab network on the one dual-stack host a container without
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
# What the suites ask of it: lab_unbuildable says what cannot be built;
# lab_dns_packets how many packets the dns host has taken in and sent, from dnsmasq's log of queries (each query one packet
# in and one answer back, over IPv4): they share this host's counters with
# the exchange they go with; host_port gives each host's servers ports of
# their own (host_port).  `exec --dns MODE` makes MODE's resolver (a slowdns on
# 127.0.0.200 + k; fast: dnsmasq) the machine's for the command's time,
# one such command at a time; `on` without --dns runs at once.

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

lab_unsupported() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "the local lab network needs root"
	elif ! PATH=$PATH:/usr/sbin:/sbin command -v dnsmasq >/dev/null; then
		echo "dnsmasq is not installed (Debian package dnsmasq-base)"
	elif [ ! -e /.dockerenv ] && [ ! -e /run/.containerenv ]; then
		echo "the local lab network takes over this machine's resolver: it runs only in a container"
	fi
}

# lab_unbuildable NEED...: says what of NEED (host names; ipv6: native
# IPv6 between hosts; firewall: dropping packets; nat64: NAT64/DNS64) this
# backend cannot build, one line ("one dual-stack machine, without v4cli
# (IPv4 only)"); fails when it can build them all.
lab_unbuildable() {
	local need missing=() text
	for need; do
		case $need in
		ipv6) local_has_ipv6 || missing+=("IPv6 (no ::1 on loopback)") ;;
		firewall) missing+=("a firewall (no NET_ADMIN)") ;;
		nat64) missing+=("NAT64/DNS64 (no second host)") ;;
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
	printf -v text '%s, ' "${missing[@]}"
	echo "one dual-stack machine, without ${text%, }"
}

# Every host it builds is this machine: the command itself.
lab_fast_on() {
	! lab_unbuildable "${1:-}" >/dev/null && [ -e "$LOCAL_STATE/net/${LABNET:-lab}/up" ] || return 1
	# shellcheck disable=SC2034 # for lab_on
	ON=()
}

host_port() {
	local i
	for i in "${!TOPO_HOSTS[@]}"; do
		[[ ${TOPO_HOSTS[i]} != "$1" ]] || { echo $(($2 + 100 * i)); return; }
	done
	_lab_known_host "$1"
}

lab_shared_counters() {
	return 0
}

# The packets dnsmasq has taken in and answered so far, "V4 V6", by the
# source of each query it logged.
lab_dns_packets() {
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
	printf '# lab network on loopback (grader/lib/backends/local.bash): %s\nsearch %s\nnameserver %s\n' \
		"$1" "$TOPO_ZONE" "$2"
}

# net_up NET OWNER (the grade ends its networks itself: no owner here).
net_up() {
	local net=$1 lock
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

net_down() {
	local net=$1 lock pid
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

# local_resolver MODE: RESOLV_CONF, the resolv.conf of MODE's slowdns
# (fast, silent or delay:MS), started on first use (one per mode, until
# the last down).
local_resolver() {
	local mode=$1 delay=never key=${1/:/-} dir=$LOCAL_STATE/resolvers addr pid n
	if [[ $mode == fast ]]; then
		RESOLV_CONF=$LOCAL_STATE/fast.conf
		return
	fi
	[[ $mode != delay:* ]] || delay=${mode#delay:}
	mkdir -p "$dir"
	if [ ! -e "$dir/$key.conf" ]; then
		n=$(find "$dir" -name '*.conf' | wc -l)
		addr=${LOCAL_RESOLVERS%.*}.$((${LOCAL_RESOLVERS##*.} + n))
		# Without the caller's lock (see net_exec), which it would hold for good.
		pid=$("$(lab_tool slowdns)" -b -d "$delay" -u "$LOCAL_DNS" "$addr" 2>>"$LOCAL_STATE/slowdns.log" {lock}>&-) ||
			die "slowdns did not start (see $LOCAL_STATE/slowdns.log)"
		echo "$pid" >"$dir/$key.pid"
		local_resolv_conf "resolver $mode" "$addr" >"$dir/$key.conf"
	fi
	RESOLV_CONF=$dir/$key.conf
}

# net_exec NET MODE HOST CMD...
net_exec() {
	local net=$1 mode=$2 host=$3 lock stdin child why status=0
	shift 3
	local_require_up "$net"
	! why=$(lab_unbuildable "$host") || die "host $host is not built here: $why"
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

local_require_up() {
	[ -e "$LOCAL_STATE/net/$1/up" ] || die "network '$1' is not up (start it with: grader/net up $1)"
}

net_shell() {
	local why
	local_require_up "$1"
	! why=$(lab_unbuildable "$2") || die "host $2 is not built here: $why"
	echo "net: shell on $2 (this machine, on loopback); 'exit' leaves it" >&2
	exec bash -i
}

net_status() {
	local_require_up "$1"
	echo "net: network '$1' is up"
}

net_list() {
	local_networks
}
