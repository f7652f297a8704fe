# shellcheck shell=bash
#
# The lab network, as the grader's bats suites see it, and its backend.
#
#   load ../lib/net                      (from a suite in grader/tests or grader/suites)
#
#   on HOST CMD...                       run CMD on HOST of the network $LABNET
#   on --dns MODE HOST CMD...            ... with MODE's resolver: fast, delay:MS,
#                                        silent, dns64[:PREFIX]
#   lab_on [--dns MODE] HOST             the command line of `on`, in the array ON
#   require_net                          skip when no lab network can exist here,
#                                        fail when $LABNET should be up but is not
#   lab_up [--owner PID] / lab_down      bring $LABNET up / down
#   lab_hosts [STACK...]                 host names, in topology order (all, or of those stacks)
#   host_stack HOST                      v4, v6 or dual
#   host_addr HOST inet|inet6            the host's address (no prefix); fails if it has none
#   host_fqdn HOST                       HOST.lab.test
#   nat64_address PREFIX ADDR [VAR]      IPv4 ADDR under NAT64 PREFIX (/96), as
#                                        inet_ntop writes it
#   in_network ADDR NETWORK              IPv4 ADDR lies in NETWORK (A.B.C.D/LEN)
#   lab_set VAR VALUE                    VAR=VALUE, or VALUE printed when VAR is empty
#   lab_tool NAME                        path of grader/tools/NAME, built on demand
#   wait_listen HOST PORT [tcp|udp] [SECONDS]
#                                        wait until something listens on HOST:PORT
#   nap SECONDS                          sleep without starting a process (polling
#                                        loops: `sleep` is a program)
#
# The backend, the one way the lab network is built, is chosen here and
# only here, by $LABNET_BACKEND (see LAB_BACKENDS below); tests never name
# it.  Each is two files: lib/backends/NAME.bash, which defines every
# function of LAB_BACKEND_FUNCTIONS, and NAME-commands.bash, every one of
# LAB_BACKEND_COMMANDS, which only grader/net loads; neither defines
# anything else of this file's (a backend's own helpers start with NAME_;
# hosts-apart.bash holds three that netns and docker share, their hosts
# being machines apart).  What the suites ask of it:
#
#   lab_unsupported                      why no lab network can exist here, or nothing
#   lab_unbuildable NEED...              says (one line) what of NEED it cannot
#                                        build: host names, ipv6 (native IPv6
#                                        between hosts), firewall (dropping a
#                                        host's packets), nat64 (NAT64/DNS64);
#                                        fails when it can
#   lab_fast_on HOST                     puts in ON a command line onto HOST
#                                        quicker than `net exec`, or fails
#   host_port HOST PORT                  the port HOST's server of PORT uses:
#                                        PORT, unless hosts share one machine
#   lab_shared_counters                  true when every host is one machine,
#                                        with one set of packet counters
#   lab_dns_packets                      "V4 V6": packets the lab's DNS server
#                                        added to the counters of the hosts
#                                        that share them (0 0 elsewhere)
#
# and what grader/net asks of it, once it has checked the command line
# (with grader/net's helpers: die, usage, require_tools, read_stat, alive,
# stop_processes, resolver_conf; and lib/hostfiles.bash):
#
#   net_up NET OWNER                     build network NET (OWNER: a pid or empty)
#   net_down NET                         remove it and all it started
#   net_exec NET MODE HOST CMD...        run CMD on HOST; MODE: fast, silent,
#                                        delay:MS or dns64:PREFIX
#   net_shell NET HOST                   an interactive shell on HOST
#   net_status NET                       exit 0 when NET is up
#   net_list                             the networks that are up, a line each

# The grader's root is the directory above lib/ (found without starting a
# process: grader/net sources this file on every call).
LAB_GRADER_ROOT=${BASH_SOURCE[0]}
[[ $LAB_GRADER_ROOT == /* ]] || LAB_GRADER_ROOT=$PWD/$LAB_GRADER_ROOT
LAB_GRADER_ROOT=${LAB_GRADER_ROOT%/*/*}
LAB_TOPOLOGY=$LAB_GRADER_ROOT/topology
: "${LABNET_BACKEND:=netns}"
export LABNET_BACKEND
# netns: Linux network namespaces, as root or, for an ordinary user, in a
# user namespace of its own; docker: a container a host; local: the
# dual-stack hosts on this one machine's loopback, where no namespace can
# be made (Gradescope).
LAB_BACKENDS=(netns docker local)
LAB_BACKEND_FUNCTIONS=(lab_unsupported lab_unbuildable lab_fast_on host_port lab_shared_counters
	lab_dns_packets)
LAB_BACKEND_COMMANDS=(net_up net_down net_exec net_shell net_status net_list)

# Read the topology into TOPO_* variables (see the format in grader/topology).
#   TOPO_HOSTS          host names, in file order
#   TOPO_STACK[h]       v4 | v6 | dual
#   TOPO_INET[h]        IPv4 address/prefix, or empty
#   TOPO_INET6[h]       IPv6 address/prefix, or empty
#   TOPO_RECORDS[h]     A | AAAA | A,AAAA | empty
#   TOPO_ZONE           the DNS zone
#   TOPO_RESOLVERS      HOST IPV4/PREFIX IPV6/PREFIX COUNT
#   TOPO_NAT64          HOST POOL PREFIX IGNORE (IGNORE: hosts, comma-separated, or -)
# shellcheck disable=SC2034 # grader/net reads the ones used nowhere here
lab_load_topology() {
	local lines line kind f -
	# The file read at once (read, a line at a time, reads it a byte at a
	# time), each line split into words by the shell itself: no glob in a
	# topology, none expanded.
	set -f
	TOPO_HOSTS=()
	declare -gA TOPO_STACK=() TOPO_INET=() TOPO_INET6=() TOPO_RECORDS=()
	TOPO_ZONE='' TOPO_RESOLVERS='' TOPO_NAT64=''
	mapfile -t lines <"$LAB_TOPOLOGY" || return
	for line in "${lines[@]}"; do
		line=${line%%#*}
		# shellcheck disable=SC2206 # split on purpose
		f=($line)
		[ "${#f[@]}" -gt 0 ] || continue
		kind=${f[0]}
		case $kind in
		zone) TOPO_ZONE=${f[1]} ;;
		resolvers) TOPO_RESOLVERS="${f[*]:1}" ;;
		nat64) TOPO_NAT64="${f[*]:1}" ;;
		host)
			TOPO_HOSTS+=("${f[1]}")
			TOPO_STACK[${f[1]}]=${f[2]}
			TOPO_INET[${f[1]}]=${f[3]#-}
			TOPO_INET6[${f[1]}]=${f[4]#-}
			TOPO_RECORDS[${f[1]}]=${f[5]#-}
			;;
		*)
			echo "topology: unknown line kind '$kind' in $LAB_TOPOLOGY" >&2
			return 1
			;;
		esac
	done
}
lab_load_topology

# lab_backend_load [--commands] [NAME]: makes NAME (of LAB_BACKENDS;
# $LABNET_BACKEND by default) the backend, sourcing its file, and with
# --commands (grader/net) lib/hostfiles.bash and the backend's commands
# too (NAME-commands.bash: every test loads this file, and needs none of
# them); fails, saying so, when there is no such backend or a file lacks a
# function of the interface.
lab_backend_load() {
	local commands="" wanted=("${LAB_BACKEND_FUNCTIONS[@]}") name f missing=()
	if [[ ${1:-} == --commands ]]; then
		commands=yes wanted+=("${LAB_BACKEND_COMMANDS[@]}")
		shift
	fi
	name=${1:-$LABNET_BACKEND}
	if [[ " ${LAB_BACKENDS[*]} " != *" $name "* ]]; then
		echo "LABNET_BACKEND='$name' is not a backend this kit has (${LAB_BACKENDS[*]})" >&2
		return 2
	fi
	unset -f "${LAB_BACKEND_FUNCTIONS[@]}" "${LAB_BACKEND_COMMANDS[@]}"
	# shellcheck source=/dev/null
	source "$LAB_GRADER_ROOT/lib/backends/$name.bash" || return
	if [[ -n $commands ]]; then
		# shellcheck source=grader/lib/hostfiles.bash
		source "$LAB_GRADER_ROOT/lib/hostfiles.bash" || return
		# shellcheck source=/dev/null
		source "$LAB_GRADER_ROOT/lib/backends/$name-commands.bash" || return
	fi
	for f in "${wanted[@]}"; do
		declare -F "$f" >/dev/null || missing+=("$f")
	done
	if ((${#missing[@]})); then
		echo "lib/backends/$name.bash or $name-commands.bash does not define ${missing[*]}" >&2
		return 2
	fi
}
lab_backend_load "$LABNET_BACKEND" || return

lab_hosts() {
	local h s
	for h in "${TOPO_HOSTS[@]}"; do
		if [ $# -eq 0 ]; then
			echo "$h"
			continue
		fi
		for s; do
			[ "${TOPO_STACK[$h]}" != "$s" ] || echo "$h"
		done
	done
}

_lab_known_host() {
	[ -n "${TOPO_STACK[${1:-}]+x}" ] && return 0
	echo "unknown lab host '${1:-}' (hosts: ${TOPO_HOSTS[*]})" >&2
	return 2
}

host_stack() {
	_lab_known_host "${1:-}" || return
	echo "${TOPO_STACK[$1]}"
}

host_addr() {
	local addr
	_lab_known_host "${1:-}" || return
	case ${2:-} in
	inet) addr=${TOPO_INET[$1]} ;;
	inet6) addr=${TOPO_INET6[$1]} ;;
	*)
		echo "usage: host_addr HOST inet|inet6" >&2
		return 2
		;;
	esac
	[ -n "$addr" ] || return 1
	echo "${addr%/*}"
}

host_fqdn() {
	_lab_known_host "${1:-}" || return
	echo "$1.$TOPO_ZONE"
}

# nat64_address PREFIX ADDR [VAR]: IPv4 address ADDR embedded under PREFIX, a
# /96 (RFC 6052 section 2.2) whose first group is not 0, written as
# inet_ntop writes it (RFC 5952: the longest run of two or more zero
# groups, the first of equals, as ::); printed, or put in VAR.
nat64_address() {
	local prefix=${1%/96} head tail zeros o v4 text='' i start=-1 len=0 best=-1 best_len=1
	local -a h=() t=() g
	head=${prefix%%::*}
	[[ $prefix == *::* ]] && tail=${prefix#*::} || tail=''
	IFS=: read -r -a h <<<"$head"
	[[ -z $tail ]] || IFS=: read -r -a t <<<"$tail"
	g=("${h[@]}")
	for ((zeros = 8 - ${#h[@]} - ${#t[@]}; zeros > 0; zeros--)); do g+=(0); done
	g+=("${t[@]}")
	IFS=. read -r -a o <<<"$2"
	printf -v v4 "%x %x" $(((o[0] << 8) + o[1])) $(((o[2] << 8) + o[3]))
	# shellcheck disable=SC2206 # the two groups, split on purpose
	g=("${g[@]:0:6}" $v4)
	for i in "${!g[@]}"; do
		printf -v "g[i]" %x "$((16#${g[i]}))"
		if [[ ${g[i]} == 0 ]]; then
			((len++ == 0)) && start=$i
			((len <= best_len)) || best=$start best_len=$len
		else
			len=0
		fi
	done
	for i in "${!g[@]}"; do
		if ((best >= 0 && i >= best && i < best + best_len)); then
			((i == best)) && text+=::
			continue
		fi
		[[ -z $text || $text == *:: ]] || text+=:
		text+=${g[i]}
	done
	lab_set "${3:-}" "$text"
}

# lab_set VAR VALUE: VAR=VALUE, or VALUE printed when VAR is empty (for
# functions that hand back a value without a subshell).
lab_set() {
	if [[ -n $1 ]]; then printf -v "$1" %s "$2"; else echo "$2"; fi
}

# in_network ADDR NETWORK: IPv4 address ADDR lies in NETWORK (A.B.C.D/LEN).
in_network() {
	local a n bits=${2#*/}
	IFS=. read -r -a a <<<"$1"
	IFS=. read -r -a n <<<"${2%/*}"
	local mask=$(((0xffffffff << (32 - bits)) & 0xffffffff))
	(((((a[0] << 24) | (a[1] << 16) | (a[2] << 8) | a[3]) & mask) == \
		(((n[0] << 24) | (n[1] << 16) | (n[2] << 8) | n[3]) & mask)))
}

# grader/net, bounded by LAB_TIMEOUT=SECONDS when set (`on` has none:
# its commands bring their own timeout).
lab_net() {
	if [ -n "${LAB_TIMEOUT:-}" ]; then
		timeout -k 5 "$LAB_TIMEOUT" "$LAB_GRADER_ROOT/net" "$@"
	else
		"$LAB_GRADER_ROOT/net" "$@"
	fi
}

# lab_on [--dns MODE] HOST: puts in the array ON the command line that runs
# a command (appended to it) on HOST: the backend's quick way when there is
# one (`on` is called a few hundred times a grade), else `net exec`, which
# also says what is wrong (an unknown host, a network that is not up).
lab_on() {
	local dns=()
	if [ "${1:-}" = --dns ]; then
		dns=(--dns "${2:-}")
		shift 2
	fi
	if [ ${#dns[@]} -eq 0 ] && lab_fast_on "${1:-}"; then
		return 0
	fi
	ON=("$LAB_GRADER_ROOT/net" exec --net "${LABNET:-lab}" "${dns[@]}" "$1")
}

on() {
	local ON
	if [ "${1:-}" = --dns ]; then
		lab_on "$1" "${2:-}" "${3:-}" || return
		shift 3
	else
		lab_on "${1:-}" || return
		shift
	fi
	"${ON[@]}" "$@"
}

lab_up() {
	LAB_TIMEOUT=60 lab_net up "${LABNET:-lab}" "$@"
}

lab_down() {
	LAB_TIMEOUT=60 lab_net down "${LABNET:-lab}"
}

require_net() {
	local why
	why=$(lab_unsupported)
	if [ -n "$why" ]; then
		skip "$why"
	fi
	if ! lab_net status "${LABNET:-lab}" >/dev/null; then
		fail "the lab network '${LABNET:-lab}' should be up but is not"
	fi
}

nap() {
	# A pipe this shell holds both ends of: nothing ever comes, read waits.
	[ -n "${NAP_FD:-}" ] || exec {NAP_FD}<> <(:)
	read -r -t "$1" -u "$NAP_FD" || true
}

lab_tool() {
	local tool=$LAB_GRADER_ROOT/tools/$1
	if [ ! -x "$tool" ] || [ "$tool.c" -nt "$tool" ]; then
		timeout 60 make -s -C "$LAB_GRADER_ROOT/tools" "$1" >&2 || return
	fi
	echo "$tool"
}

wait_listen() {
	local host=$1 port=$2 proto=${3:-tcp} seconds=${4:-5} flag deadline
	case $proto in
	tcp) flag=-Hltn ;;
	udp) flag=-Hlun ;;
	*)
		echo "usage: wait_listen HOST PORT [tcp|udp] [SECONDS]" >&2
		return 2
		;;
	esac
	deadline=$((${EPOCHREALTIME/./} + seconds * 1000000))
	until [ -n "$(on "$host" timeout 5 ss "$flag" "sport = :$port")" ]; do
		if [ "${EPOCHREALTIME/./}" -ge "$deadline" ]; then
			echo "nothing listens on $host $proto port $port after ${seconds}s" >&2
			return 1
		fi
		nap 0.05
	done
}
