# shellcheck shell=bash
#
# hostfiles.bash - the files every backend gives its hosts, written from
# the topology (lib/net.bash's TOPO_* variables): resolv.conf, hosts,
# dnsmasq.conf and the DNS64 resolver's unbound.conf.  For what builds a
# network: grader/net (lab_backend_load --commands) and docker/gen-compose;
# the suites never need them.

# Can a host of stack $1 (v4, v6, dual) reach address $2?
lab_stack_reaches() {
	case $1 in
	dual) return 0 ;;
	v4) [[ $2 != *:* ]] ;;
	v6) [[ $2 == *:* ]] ;;
	esac
}

# The resolv.conf of a host of stack $1: the dns host, at the addresses that
# stack can reach.
lab_resolv_conf() {
	local a
	echo "search $TOPO_ZONE"
	for a in "${TOPO_INET[dns]}" "${TOPO_INET6[dns]}"; do
		[ -n "$a" ] && lab_stack_reaches "$1" "$a" && echo "nameserver ${a%/*}"
	done
	return 0
}

# The /etc/hosts of a host of stack $1: loopback only.
lab_hosts_file() {
	echo "127.0.0.1 localhost"
	[ "$1" = v4 ] || echo "::1 localhost ip6-localhost ip6-loopback"
}

# dnsmasq's configuration for the dns host: the zone's records, from the
# topology. $1 names the network in the header; $2 is where dnsmasq keeps
# its pid file and log.
lab_dnsmasq_conf() {
	local label=$1 state=$2 h names listen=127.0.0.1,::1
	[ -z "${TOPO_INET[dns]}" ] || listen+=,${TOPO_INET[dns]%/*}
	[ -z "${TOPO_INET6[dns]}" ] || listen+=,${TOPO_INET6[dns]%/*}
	echo "# $label: zone $TOPO_ZONE, from grader/topology"
	echo "no-resolv"
	echo "no-hosts"
	echo "local=/$TOPO_ZONE/"
	# Answer for the lab's reverse zones too, forwarding nothing.
	for h in "${TOPO_INET[dns]}" "${TOPO_INET6[dns]}"; do
		[ -z "$h" ] || _lab_network_of "$h"
		[ -z "$h" ] || echo "domain=$TOPO_ZONE,$NETWORK,local"
	done
	echo "bind-interfaces"
	echo "listen-address=$listen"
	echo "user=root"
	# No group either ("dip" otherwise): in an ordinary user's grade (see
	# userns.bash) setgroups is denied, and dnsmasq would not start.
	echo "group="
	echo "pid-file=$state/dnsmasq.pid"
	echo "log-facility=$state/dnsmasq.log"
	# RFC 7050's name, A only (through DNS64, AAAA under the NAT64 prefix).
	echo "local=/ipv4only.arpa/"
	echo "host-record=ipv4only.arpa,192.0.0.170"
	echo "host-record=ipv4only.arpa,192.0.0.171"
	for h in "${TOPO_HOSTS[@]}"; do
		names=$h.$TOPO_ZONE
		[[ ${TOPO_RECORDS[$h]} != *A* ]] || [[ ${TOPO_RECORDS[$h]} == AAAA ]] ||
			names+=,${TOPO_INET[$h]%/*}
		[[ ${TOPO_RECORDS[$h]} != *AAAA* ]] || names+=,${TOPO_INET6[$h]%/*}
		[ "$names" = "$h.$TOPO_ZONE" ] || echo "host-record=$names"
	done
}

# unbound's configuration for a DNS64 resolver slot of the dns host: $1
# names it in the header, $2 is where it keeps its pid file and log, $3 and
# $4 the slot's addresses (no prefix), $5 the NAT64 prefix it synthesises
# under.  It forwards every name to dnsmasq, ipv4only.arpa too (whose A
# records RFC 7050 has it synthesise as AAAA like any other: unbound's
# dns64 module leaves its own local data alone); nothing else is ever
# asked: no root hints, no trust anchor, no remote control.
lab_unbound_conf() {
	local label=$1 state=$2 a4=$3 a6=$4 prefix=$5 h ignore a
	read -r _ _ _ ignore <<<"$TOPO_NAT64"
	echo "# $label: DNS64 under $prefix, from grader/topology"
	echo "server:"
	echo "    interface: $a4"
	echo "    interface: $a6"
	echo "    port: 53"
	echo "    interface-automatic: no"
	echo "    so-reuseport: no"
	echo "    num-threads: 1"
	echo "    username: \"\""
	echo "    chroot: \"\""
	echo "    directory: \"$state\""
	echo "    pidfile: \"$state/unbound-$a4.pid\""
	echo "    logfile: \"$state/unbound-$a4.log\""
	echo "    use-syslog: no"
	echo "    verbosity: 0"
	echo "    do-daemonize: yes"
	for a in "${TOPO_INET[dns]}" "${TOPO_INET6[dns]}"; do
		[ -z "$a" ] || _lab_network_of "$a"
		[ -z "$a" ] || echo "    access-control: $NETWORK allow"
	done
	echo "    module-config: \"dns64 iterator\""
	echo "    dns64-prefix: $prefix"
	for h in ${ignore//,/ }; do
		[ "$h" = - ] || echo "    dns64-ignore-aaaa: $h.$TOPO_ZONE"
	done
	echo "    qname-minimisation: no"
	echo "    trust-anchor-signaling: no"
	echo "    root-key-sentinel: no"
	echo "    msg-cache-size: 1m"
	echo "    rrset-cache-size: 1m"
	echo "    cache-max-ttl: 0"
	echo "    cache-max-negative-ttl: 0"
	# The lab's zone and reverse zones are dnsmasq's, not unbound's built-in
	# empty ones (RFC 6761's "test.", RFC 6303's reverse zones).
	echo "    local-zone: \"${TOPO_ZONE##*.}.\" nodefault"
	for a in "${TOPO_INET[dns]}" "${TOPO_INET6[dns]}"; do
		[ -z "$a" ] || echo "    local-zone: \"$(_lab_reverse_zone "$a")\" nodefault"
	done
	echo "remote-control:"
	echo "    control-enable: no"
	echo "forward-zone:"
	echo "    name: \".\""
	for a in "${TOPO_INET[dns]}" "${TOPO_INET6[dns]}"; do
		[ -z "$a" ] || echo "    forward-addr: ${a%/*}"
	done
}

# The zone unbound keeps empty by default (RFC 6303) that holds the reverse
# names of address $1: the /24 of an IPv4 one, the documentation /32 of an
# IPv6 one (RFC 3849; the lab's addresses are documentation addresses).
_lab_reverse_zone() {
	local o
	if [[ $1 == *:* ]]; then
		echo "8.b.d.0.1.0.0.2.ip6.arpa."
	else
		IFS=. read -r -a o <<<"${1%/*}"
		echo "${o[2]}.${o[1]}.${o[0]}.in-addr.arpa."
	fi
}

# NETWORK: the network address/prefix $1 lies in, as dnsmasq's domain=
# wants it (prefixes on a byte boundary, IPv6 ones written PREFIX::HOST).
_lab_network_of() {
	local addr=${1%/*} prefix=${1#*/} o
	if [[ $addr == *:* ]]; then
		NETWORK=${addr%%::*}::/$prefix
	else
		IFS=. read -r -a o <<<"$addr"
		case $prefix in
		8) NETWORK=${o[0]}.0.0.0/8 ;;
		16) NETWORK=${o[0]}.${o[1]}.0.0/16 ;;
		*) NETWORK=${o[0]}.${o[1]}.${o[2]}.0/$prefix ;;
		esac
	fi
}
