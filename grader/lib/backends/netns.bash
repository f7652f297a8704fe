# shellcheck shell=bash
#
# The netns backend (LABNET_BACKEND=netns, the default): the lab network of
# grader/topology in Linux network namespaces.  It defines the functions
# every backend defines (see lib/net.bash); its own start with netns_.
#
# Host H of network NAME is the namespace NAME-H; the bridge joining them
# sits in NAME-switch, out of reach of the host's firewall.  The dns host
# runs dnsmasq; `exec --dns delay:MS` and `--dns silent` point that one
# command's resolv.conf at a slowdns instance on the dns host instead
# (started on first use, one per mode, kept until `down`).  `--dns
# dns64:PREFIX` points it at unbound doing DNS64 under PREFIX, and starts
# the NAT64 for PREFIX on the nat64 host (tayga) and the routes to it, both
# on first use too.  An owner process ties the network to it: every `up`
# first removes networks whose owner has died.
#
# State: /run/labnet/NAME/, /run/netns/NAME-*, /etc/netns/NAME-*/ (or
# $LABNET_ETC/NAME-*/ where /etc/netns cannot be made, see lib/userns.bash).
#
# Without root, `up` leaves a process holding a user namespace of this
# user's (lib/userns.bash) where the network lives as it does for root,
# until `down`; exec, shell and status go into its namespaces (the
# netns_held_* functions).  Its pid is in ~/.cache/ipv6-labs/NAME.pid.
#
# The commands behind grader/net are in netns-commands.bash.

NETNS_STATE=/run/labnet

# ---------------------------------------------------------------- what the suites ask

lab_unsupported() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "the netns lab network needs root"
	elif ! PATH=$PATH:/usr/sbin:/sbin command -v ip >/dev/null; then
		echo "iproute2's ip is not installed"
	elif ! PATH=$PATH:/usr/sbin:/sbin command -v dnsmasq >/dev/null; then
		echo "dnsmasq is not installed (Debian package dnsmasq-base)"
	elif [ ! -e /proc/self/ns/net ]; then
		echo "this kernel has no network namespaces"
	fi
}

# Every host, native IPv6 and a firewall are built; NAT64/DNS64 needs tayga,
# unbound and a TUN device this user may open.
lab_unbuildable() {
	[[ " $* " == *" nat64 "* ]] || return 1
	if ! PATH=$PATH:/usr/sbin:/sbin command -v tayga >/dev/null; then
		echo "tayga is not installed (Debian package tayga), which the NAT64 needs"
	elif ! PATH=$PATH:/usr/sbin:/sbin command -v unbound >/dev/null; then
		echo "unbound is not installed (Debian package unbound), which DNS64 needs"
	elif [ ! -c /dev/net/tun ]; then
		echo "there is no /dev/net/tun here, which tayga (the NAT64) needs"
	elif [ ! -r /dev/net/tun ] || [ ! -w /dev/net/tun ]; then
		# Without root (lib/userns.bash) the device is the user's to open
		# or not: Debian makes it 0666, some containers 0600.
		echo "/dev/net/tun is not open to this user (mode $(stat -c %a /dev/net/tun)), and tayga" \
			"(the NAT64) needs it: no NAT64/DNS64 without root here"
	else
		return 1
	fi
}

# Straight into the host's namespaces with tools/hostexec, when the network
# is up here (not from outside an ordinary user's holder).
lab_fast_on() {
	[ -n "${TOPO_STACK[${1:-}]+x}" ] && [ -e "$NETNS_STATE/${LABNET:-lab}/up" ] || return 1
	lab_tool hostexec >/dev/null || return
	# shellcheck disable=SC2034 # for lab_on
	ON=("$LAB_GRADER_ROOT/tools/hostexec" "${LABNET:-lab}-$1")
}

# host_port, lab_shared_counters, lab_dns_packets: each host a machine of its own.
# shellcheck source=grader/lib/backends/hosts-apart.bash
source "$LAB_GRADER_ROOT/lib/backends/hosts-apart.bash"
