# shellcheck shell=bash
#
# The commands behind grader/net of the netns backend (described in
# lib/backends/netns.bash, with what the suites ask of it).

# shellcheck source=grader/lib/userns.bash
source "$LAB_GRADER_ROOT/lib/userns.bash"

NETNS_ETC=${LABNET_ETC:-/etc/netns}
NETNS_HOLDERS=${XDG_CACHE_HOME:-$HOME/.cache}/ipv6-labs
NETNS_BRIDGE_INDEX=100 # br0's ifindex in the switch namespace
NETNS_DISABLE_IPV6="sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1"

# ---------------------------------------------------------------- up

# NETNS_NAMESPACES: the namespaces of network $1 that exist.
netns_existing() {
	local h
	NETNS_NAMESPACES=()
	for h in switch "${TOPO_HOSTS[@]}"; do
		[ ! -e "/run/netns/$1-$h" ] || NETNS_NAMESPACES+=("$1-$h")
	done
}

netns_write_host_files() {
	local net=$1 h dir
	for h in "${TOPO_HOSTS[@]}"; do
		dir=$NETNS_ETC/$net-$h
		{
			echo "# lab network $net, host $h (${TOPO_STACK[$h]}): the dns host's resolver"
			lab_resolv_conf "${TOPO_STACK[$h]}"
		} >"$dir/resolv.conf"
		{
			echo "# lab network $net: lab names come from DNS, not from here"
			lab_hosts_file "${TOPO_STACK[$h]}"
		} >"$dir/hosts"
	done
}

# net_up NET OWNER: builds network NET (OWNER: a pid, or empty).
net_up() {
	local net=$1 owner=$2 h state batch jobs pid
	if [ "$EUID" -ne 0 ]; then
		netns_held_up "$net" "$owner"
		return
	fi
	require_tools ip dnsmasq
	[ -e /proc/self/ns/net ] || die "this kernel has no network namespaces"
	netns_collect_garbage
	state=$NETNS_STATE/$net
	if [ -e "$state/up" ]; then
		echo "net: network '$net' is already up"
		return 0
	fi
	netns_existing "$net"
	if [ -d "$state" ] || [ ${#NETNS_NAMESPACES[@]} -gt 0 ]; then
		netns_teardown "$net"
	fi

	trap 'netns_teardown "$net"' EXIT
	trap 'exit 130' INT TERM
	mkdir -p "$state/resolvers" "${TOPO_HOSTS[@]/#/$NETNS_ETC/$net-}"
	if [ -n "$owner" ]; then
		read_stat "$owner" || die "owner process $owner does not exist"
		echo "$owner ${PROC_STAT[19]}" >"$state/owner"
	fi
	netns_write_host_files "$net"
	lab_dnsmasq_conf "lab network $net" "$state" >"$state/dnsmasq.conf"

	# Starting a process is what costs here (about 10 ms each), so there are
	# few: one ip creates the namespaces, the bridge (given a known ifindex)
	# and the veth pairs with their bridge ports already enslaved and up; then
	# one ip per namespace sets its loopback, eth0 and addresses.
	printf -v batch "netns add $net-%s\n" switch "${TOPO_HOSTS[@]}"
	batch+="link add br0 index $NETNS_BRIDGE_INDEX netns $net-switch up type bridge"
	for h in "${TOPO_HOSTS[@]}"; do
		batch+=$'\n'"link add $h netns $net-switch master if$NETNS_BRIDGE_INDEX up"
		batch+=" type veth peer name eth0 netns $net-$h"
	done
	ip -batch - <<<"$batch" 2>"$state/ip.err" ||
		die "cannot create the namespaces, bridge and veth pairs:" \
			"$(<"$state/ip.err") (does this kernel have netns, bridge and veth?)"

	# The rest is one ip per namespace: loopback, eth0 and addresses, the
	# sysctls of IPv4-only hosts. xargs starts them side by side faster than
	# bash does. dnsmasq needs its addresses, so the dns host comes first.
	jobs="-n $net-switch link set lo up"
	for h in "${TOPO_HOSTS[@]}"; do
		batch="link set lo up"$'\n'"link set eth0 up"
		[ -z "${TOPO_INET[$h]}" ] || batch+=$'\n'"addr add ${TOPO_INET[$h]} dev eth0"
		[ -z "${TOPO_INET6[$h]}" ] || batch+=$'\n'"addr add ${TOPO_INET6[$h]} dev eth0 nodad"
		echo "$batch" >"$state/$h.ip"
		[ "$h" = dns ] || jobs+=$'\n'"-n $net-$h -batch $state/$h.ip"
		[ "${TOPO_STACK[$h]}" != v4 ] || jobs+=$'\n'"netns exec $net-$h $NETNS_DISABLE_IPV6"
	done
	ip -n "$net-dns" -batch "$state/dns.ip" || die "configuring host dns of network '$net' failed"
	xargs -P 0 -L 1 ip <<<"$jobs" &
	pid=$!
	# dnsmasq goes to the background once its sockets are bound: from then on it answers.
	ip netns exec "$net-dns" dnsmasq --conf-file="$state/dnsmasq.conf" ||
		die "dnsmasq did not start on $net-dns (see $state/dnsmasq.log)"
	wait "$pid" || die "configuring network '$net' failed"
	: >"$state/up"
	trap - EXIT INT TERM
	echo "net: network '$net' is up (${#TOPO_HOSTS[@]} hosts)"
}

# Remove the networks whose owner process has died.
netns_collect_garbage() {
	local dir owner start
	for dir in "$NETNS_STATE"/*/; do
		[ -r "$dir/owner" ] || continue
		read -r owner start <"$dir/owner" || continue
		alive "$owner" "$start" && continue
		dir=${dir%/}
		echo "net: removing network '${dir##*/}': its owner (pid $owner) is gone" >&2
		netns_teardown "${dir##*/}"
	done
}

# ---------------------------------------------------------------- down

# NETNS_PIDS: every process living in one of the namespaces in NETNS_NAMESPACES.
netns_processes() {
	local ns proc
	NETNS_PIDS=()
	[ ${#NETNS_NAMESPACES[@]} -gt 0 ] || return 0
	for proc in /proc/[0-9]*; do
		for ns in "${NETNS_NAMESPACES[@]}"; do
			# -ef: the same namespace (device and inode)
			if [ "$proc/ns/net" -ef "/run/netns/$ns" ]; then
				NETNS_PIDS+=("${proc#/proc/}")
				break
			fi
		done
	done 2>/dev/null
}

netns_teardown() {
	local net=$1 batch
	netns_existing "$net"
	netns_processes
	stop_processes "${NETNS_PIDS[@]}"
	if [ ${#NETNS_NAMESPACES[@]} -gt 0 ]; then
		printf -v batch 'netns del %s\n' "${NETNS_NAMESPACES[@]}"
		ip -force -batch - <<<"$batch" >/dev/null 2>&1 || true
	fi
	rm -rf "$NETNS_STATE/${net:?}" "${TOPO_HOSTS[@]/#/$NETNS_ETC/$net-}"
}

net_down() {
	if [ "$EUID" -ne 0 ]; then
		netns_held_down "$1"
		return
	fi
	require_tools ip
	netns_teardown "$1"
}

# ---------------------------------------------------------------- exec

# Runs a command that goes to the background by itself (tayga, unbound)
# with none of this script's descriptors but 0-2, stdin from /dev/null:
# a daemon holding a descriptor of its caller's (bats' fd 3, a pipe)
# would keep its caller waiting.
netns_detached() {
	(
		local fd
		for fd in /proc/self/fd/*; do
			fd=${fd##*/}
			if ((fd > 2)); then exec {fd}>&-; fi
		done 2>/dev/null
		exec "$@" </dev/null
	)
}

# Starts the NAT64 of network $1 for prefix $2, unless it runs: tayga k
# (k = how many run already) on the nat64 host, with tun device nat64-k
# and the k-th /29 of the topology's pool; forwarding and proxy ARP there;
# a route to the prefix via the nat64 host on every other host with IPv6.
# Called under the resolver lock (by netns_start_resolver).
netns_start_nat64() {
	local net=$1 prefix=$2 state=$NETNS_STATE/$1 host pool v4 v6 k dir h jobs=''
	local -a running
	require_tools tayga
	read -r host pool _ _ <<<"$TOPO_NAT64"
	running=("$state"/nat64-*/prefix)
	[ -e "${running[0]}" ] || running=()
	for dir in "${running[@]}"; do
		[ "$(<"$dir")" != "$prefix" ] || return 0
	done
	k=${#running[@]}
	((k < 4)) || die "network '$net' runs 4 NAT64 prefixes already (the pool has 4 /29s)"
	v6=${TOPO_INET6[$host]%/*}
	v4=$(addr_plus "${pool%/*}/29" $((k * 8)))
	dir=$state/nat64-$k
	mkdir -p "$dir"
	cat >"$dir/tayga.conf" <<-EOF
		# lab network $net: NAT64 $k, from grader/topology
		tun-device nat64-$k
		ipv4-addr ${v4%/*}
		prefix $prefix
		dynamic-pool $v4
		data-dir $dir
	EOF
	ip netns exec "$net-$host" sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv4.conf.eth0.proxy_arp=1 >/dev/null || die "cannot make $host of network '$net' a router"
	# The tun device first (--mktun makes it and exits), so that it is
	# there to route when the daemon, which opens it, has gone to the
	# background.
	if ! ip netns exec "$net-$host" tayga --config "$dir/tayga.conf" --mktun >>"$dir/tayga.log" 2>&1 ||
		! netns_detached ip netns exec "$net-$host" tayga --config "$dir/tayga.conf" --pidfile "$dir/tayga.pid" \
			>>"$dir/tayga.log" 2>&1; then
		die "tayga did not start on $host (see $dir/tayga.log)"
	fi
	printf 'link set nat64-%s up\nroute add %s dev nat64-%s\nroute add %s dev nat64-%s\n' \
		"$k" "$v4" "$k" "$prefix" "$k" | ip -n "$net-$host" -batch - ||
		die "cannot route NAT64 $k on $host of network '$net'"
	for h in "${TOPO_HOSTS[@]}"; do
		if [ "$h" = "$host" ] || [ -z "${TOPO_INET6[$h]}" ]; then continue; fi
		jobs+="-n $net-$h route add $prefix via $v6"$'\n'
	done
	xargs -P 0 -L 1 ip <<<"${jobs%$'\n'}" || die "cannot route $prefix to $host on network '$net'"
	echo "$prefix" >"$dir/prefix"
}

# Gives host $2 of network $1 the addresses $3 and $4 and starts unbound
# there, doing DNS64 under prefix $5; prints its pid.
netns_start_dns64() {
	local net=$1 host=$2 a4=${3%/*} a6=${4%/*} prefix=$5 state=$NETNS_STATE/$1/resolvers conf tries
	require_tools unbound
	conf=$state/unbound-$a4.conf
	lab_unbound_conf "lab network $net" "$state" "$a4" "$a6" "$prefix" >"$conf"
	printf 'addr replace %s dev eth0\naddr replace %s dev eth0 nodad\n' "$3" "$4" |
		ip -n "$net-$host" -batch - || die "cannot give $host the addresses of a resolver slot"
	netns_detached ip netns exec "$net-$host" unbound -c "$conf" >>"$state/unbound-$a4.log" 2>&1 ||
		die "unbound did not start on $host (see $state/unbound-$a4.log)"
	# Its background process writes the pid file and binds the sockets:
	# ready once both are there (5 s at most).
	for ((tries = 0; tries < 500; tries++)); do
		if [ -s "$state/unbound-$a4.pid" ] &&
			[ -n "$(ip netns exec "$net-$host" ss -Hlun "src $a4 and sport = :53")" ] &&
			[ -n "$(ip netns exec "$net-$host" ss -Hlun "src [$a6] and sport = :53")" ]; then
			cat "$state/unbound-$a4.pid"
			return 0
		fi
		nap 0.01
	done
	die "unbound did not answer on $host within 5 s (see $state/unbound-$a4.log)"
}

# The resolver of `exec --dns MODE` (see resolver_conf in grader/net):
# gives host $2 of network $1 the addresses $3 and $4 and starts there
# slowdns (silent, delay:MS) or, for dns64:PREFIX, unbound doing DNS64
# with the NAT64 for PREFIX behind it; prints its pid.
netns_start_resolver() {
	local net=$1 host=$2 a4=$3 a6=$4 mode=$5 slowdns delay=never
	if [[ $mode == dns64:* ]]; then
		netns_start_nat64 "$net" "${mode#dns64:}"
		netns_start_dns64 "$net" "$host" "$a4" "$a6" "${mode#dns64:}"
		return
	fi
	slowdns=$(lab_tool slowdns) || die "cannot build grader/tools/slowdns"
	[[ $mode != delay:* ]] || delay=${mode#delay:}
	printf 'addr add %s dev eth0\naddr add %s dev eth0 nodad\n' "$a4" "$a6" | ip -n "$net-$host" -batch -
	ip netns exec "$net-$host" "$slowdns" -b -d "$delay" -u 127.0.0.1 "${a4%/*}" "${a6%/*}"
}

# net_exec NET MODE HOST CMD...: runs CMD on HOST of network NET, with the
# resolver of MODE (fast, silent, delay:MS, dns64:PREFIX).
net_exec() {
	local net=$1 mode=$2 host=$3 hostexec
	shift 3
	if [ "$EUID" -ne 0 ]; then
		netns_held_enter "$net" exec --net "$net" --dns "$mode" "$host" "$@"
	fi
	netns_require_up "$net"
	hostexec=$(lab_tool hostexec) || die "cannot build grader/tools/hostexec"
	if [ "$mode" = fast ]; then
		exec "$hostexec" "$net-$host" "$@"
	fi
	resolver_conf "$NETNS_STATE/$net" "$net" "$mode" "${TOPO_STACK[$host]}" netns_start_resolver
	# hostexec gives the command its own mount namespace: the resolv.conf
	# mounted there is seen by this command (and its children) only.
	exec "$hostexec" -r "$RESOLV_CONF" "$net-$host" "$@"
}

# ---------------------------------------------------------------- the rest

netns_require_up() {
	[ -e "$NETNS_STATE/$1/up" ] || die "network '$1' is not up (start it with: grader/net up $1)"
}

net_shell() {
	local net=$1 host=$2 rc hostexec
	if [ "$EUID" -ne 0 ]; then
		netns_held_enter "$net" shell "$host" "$net"
	fi
	netns_require_up "$net"
	hostexec=$(lab_tool hostexec) || die "cannot build grader/tools/hostexec"
	rc=$NETNS_STATE/$net/shellrc
	cat >"$rc" <<-EOF
		# interactive shell on a host of lab network $net
		[ -r ~/.bashrc ] && . ~/.bashrc
		PS1='[$net] \\h:\\w\\$ '
	EOF
	echo "net: shell on $host of network '$net' (${TOPO_STACK[$host]}); 'exit' leaves it" >&2
	# shellcheck disable=SC2016 # expanded by that shell
	LABNET=$net exec "$hostexec" "$net-$host" unshare --uts \
		sh -c 'hostname "$0" && exec bash --rcfile "$1" -i' "$host" "$rc"
}

net_status() {
	if [ "$EUID" -ne 0 ]; then
		netns_held_enter "$1" status "$1"
	fi
	netns_require_up "$1"
	echo "net: network '$1' is up"
}

net_list() {
	local dir owner start
	if [ "$EUID" -ne 0 ]; then
		netns_held_list
		return
	fi
	for dir in "$NETNS_STATE"/*/; do
		[ -e "$dir/up" ] || continue
		dir=${dir%/}
		owner=-
		[ ! -r "$dir/owner" ] || read -r owner start <"$dir/owner"
		printf '%-20s owner %s\n' "${dir##*/}" "$owner"
	done
}

# ---------------------------------------------------------------- without root

# The pid of the process holding network $1 of this user's, if it runs.
netns_held_pid() {
	local pid start
	{ read -r pid start <"$NETNS_HOLDERS/$1.pid"; } 2>/dev/null && alive "$pid" "$start" && echo "$pid"
}

# up, as an ordinary user: a holder in a session of its own builds the
# network as root of a new user namespace (`net hold`), then sleeps.
netns_held_up() {
	local net=$1 pid fd
	[ -z "$2" ] || usage "up takes no --owner without root"
	if netns_held_pid "$net" >/dev/null; then
		echo "net: network '$net' is already up"
		return 0
	fi
	userns_check
	mkdir -p "$NETNS_HOLDERS"
	(
		# With no descriptor of its caller's but 0-2, which go to the log.
		for fd in /proc/"$BASHPID"/fd/*; do
			fd=${fd##*/}
			[ "$fd" -le 2 ] || { exec {fd}>&-; } 2>/dev/null || true
		done
		exec </dev/null >"$NETNS_HOLDERS/$net.log" 2>&1
		# shellcheck disable=SC2016 # expanded by that shell
		exec setsid bash -c 'source "$0/lib/userns.bash" && userns_run "$0/net" hold "$1"' \
			"$LAB_GRADER_ROOT" "$net"
	) &
	pid=$!
	read_stat "$pid" && echo "$pid ${PROC_STAT[19]}" >"$NETNS_HOLDERS/$net.pid"
	until grep -q "is up" "$NETNS_HOLDERS/$net.log"; do
		alive "$pid" || die "network '$net' did not come up: $(<"$NETNS_HOLDERS/$net.log")"
		nap 0.05
	done
	cat "$NETNS_HOLDERS/$net.log"
}

netns_held_down() {
	local net=$1 pid
	pid=$(netns_held_pid "$net") || return 0
	(userns_enter "$pid" "$LAB_GRADER_ROOT/net" down "$net")
	stop_processes "$pid"
	rm -f "$NETNS_HOLDERS/$net.pid" "$NETNS_HOLDERS/$net.log"
}

netns_held_list() {
	local file net pid
	for file in "$NETNS_HOLDERS"/*.pid; do
		[ -e "$file" ] || continue
		net=${file##*/} net=${net%.pid}
		! pid=$(netns_held_pid "$net") || printf '%-20s holder %s\n' "$net" "$pid"
	done
}

# netns_held_enter NET ARG...: grader/net ARG... in the namespaces of
# NET's holder, as root there (exec).
netns_held_enter() {
	local net=$1 pid
	shift
	pid=$(netns_held_pid "$net") || die "network '$net' is not up (start it with: grader/net up $net)"
	userns_enter "$pid" "$LAB_GRADER_ROOT/net" "$@"
}
