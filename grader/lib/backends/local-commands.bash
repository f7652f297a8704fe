# shellcheck shell=bash
#
# The commands behind grader/net of the local backend (described in
# lib/backends/local.bash, with what the suites ask of it).

LOCAL_RESOLVERS=127.0.0.200

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
