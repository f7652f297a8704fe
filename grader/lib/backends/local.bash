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
