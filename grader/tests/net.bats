#!/usr/bin/env bats
#
# The lab network itself (grader/net, grader/topology): addresses, DNS names
# as Figure 12.5 assumes them, reachability between stacks, the delaying and
# silent resolvers of the getnameinfo lab, and the network's life cycle.
# The file brings up its own network, under a name no other run uses.

# shellcheck disable=SC2030,SC2031 # bats runs each test in a subshell

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert
load ../lib/net

setup_file() {
	local why
	why=$(lab_unsupported)
	[ -z "$why" ] || skip "$why"
	export LABNET=nettest$$
	lab_up --owner $$ >/dev/null
}

teardown_file() {
	[ -n "$(lab_unsupported)" ] || lab_down
}

setup() {
	require_net
}

now_ms() {
	echo $((${EPOCHREALTIME/./} / 1000))
}

# ---- addresses

# HOST has loopback, and on eth0 exactly the addresses of its topology line;
# an IPv4-only host has no IPv6 address at all, not even a link-local one.
check_addresses() {
	local host=$1 expected=("lo 127.0.0.1/8") actual
	[ "$(host_stack "$host")" = v4 ] || expected+=("lo ::1/128")
	[ -z "${TOPO_INET[$host]}" ] || expected+=("eth0 ${TOPO_INET[$host]}")
	[ -z "${TOPO_INET6[$host]}" ] || expected+=("eth0 ${TOPO_INET6[$host]}")
	actual=$(on "$host" timeout 5 ip -o addr show |
		awk '$4 !~ /^fe80:/ || "'"$(host_stack "$host")"'" == "v4" { print $2, $4 }' | sort)
	assert_equal "$actual" "$(printf '%s\n' "${expected[@]}" | sort)"
}

@test "dns has the addresses of a dual-stack host" { check_addresses dns; }
@test "v4srv has the addresses of an IPv4-only host" { check_addresses v4srv; }
@test "v6srv has the addresses of an IPv6-only host" { check_addresses v6srv; }
@test "ds4srv has the addresses of a dual-stack host" { check_addresses ds4srv; }
@test "ds6srv has the addresses of a dual-stack host" { check_addresses ds6srv; }
@test "v4cli has the addresses of an IPv4-only host" { check_addresses v4cli; }
@test "v6cli has the addresses of an IPv6-only host" { check_addresses v6cli; }
@test "dscli has the addresses of a dual-stack host" { check_addresses dscli; }
@test "nat64 has the addresses of a dual-stack host" { check_addresses nat64; }

@test "IPv4-only hosts have IPv6 disabled" {
	local host
	for host in $(lab_hosts v4); do
		run on "$host" timeout 5 cat /proc/sys/net/ipv6/conf/all/disable_ipv6 \
			/proc/sys/net/ipv6/conf/default/disable_ipv6
		assert_output $'1\n1'
	done
}

@test "no host has a default route off the lab network" {
	local host
	for host in $(lab_hosts); do
		run on "$host" timeout 5 sh -c 'ip -4 route show default; ip -6 route show default'
		assert_success
		assert_output ''
	done
}

# ---- names: what getaddrinfo returns, as Figure 12.5 assumes

# CLIENT looks SERVER up: unspec (AF_UNSPEC), inet (AF_INET) or mapped
# (AF_INET6 with AI_V4MAPPED | AI_ALL); the answer holds exactly the
# addresses SERVER's DNS records give in that family.
check_lookup() {
	local client=$1 server=$2 mode=$3 flags=() expected=() a4 a6
	a4=$(host_addr "$server" inet) || true
	a6=$(host_addr "$server" inet6) || true
	case $mode in
	unspec)
		flags=(-f unspec)
		[ -z "$a4" ] || expected+=("inet $a4")
		[ -z "$a6" ] || expected+=("inet6 $a6")
		;;
	inet)
		flags=(-f inet)
		[ -z "$a4" ] || expected+=("inet $a4")
		;;
	mapped)
		flags=(-f inet6 -m -a)
		[ -z "$a6" ] || expected+=("inet6 $a6")
		[ -z "$a4" ] || expected+=("inet6 ::ffff:$a4")
		;;
	esac
	run --separate-stderr on "$client" timeout 10 "$(lab_tool gaiprobe)" "${flags[@]}" "$(host_fqdn "$server")"
	if [ ${#expected[@]} -eq 0 ]; then
		assert_failure 2
		assert_output ''
	else
		assert_success
		assert_equal "$(sort <<<"$output")" "$(printf '%s\n' "${expected[@]}" | sort)"
	fi
}

@test "on v4cli, getaddrinfo(AF_UNSPEC) of v4srv gives its IPv4 address" { check_lookup v4cli v4srv unspec; }
@test "on v4cli, getaddrinfo(AF_UNSPEC) of v6srv gives its IPv6 address" { check_lookup v4cli v6srv unspec; }
@test "on v4cli, getaddrinfo(AF_UNSPEC) of ds4srv gives its IPv4 and IPv6 addresses" { check_lookup v4cli ds4srv unspec; }
@test "on v4cli, getaddrinfo(AF_UNSPEC) of ds6srv gives its IPv4 and IPv6 addresses" { check_lookup v4cli ds6srv unspec; }
@test "on v4cli, getaddrinfo(AF_INET) of v4srv gives its IPv4 address" { check_lookup v4cli v4srv inet; }
@test "on v4cli, getaddrinfo(AF_INET) of v6srv gives no address" { check_lookup v4cli v6srv inet; }
@test "on v4cli, getaddrinfo(AF_INET) of ds4srv gives its IPv4 address" { check_lookup v4cli ds4srv inet; }
@test "on v4cli, getaddrinfo(AF_INET) of ds6srv gives its IPv4 address" { check_lookup v4cli ds6srv inet; }
@test "on v4cli, getaddrinfo(AF_INET6 with AI_V4MAPPED|AI_ALL) of v4srv gives its IPv4-mapped address" { check_lookup v4cli v4srv mapped; }
@test "on v4cli, getaddrinfo(AF_INET6 with AI_V4MAPPED|AI_ALL) of v6srv gives its IPv6 address" { check_lookup v4cli v6srv mapped; }
@test "on v4cli, getaddrinfo(AF_INET6 with AI_V4MAPPED|AI_ALL) of ds4srv gives its IPv6 and IPv4-mapped addresses" { check_lookup v4cli ds4srv mapped; }
@test "on v4cli, getaddrinfo(AF_INET6 with AI_V4MAPPED|AI_ALL) of ds6srv gives its IPv6 and IPv4-mapped addresses" { check_lookup v4cli ds6srv mapped; }
@test "on v6cli, getaddrinfo(AF_UNSPEC) of v4srv gives its IPv4 address" { check_lookup v6cli v4srv unspec; }
@test "on v6cli, getaddrinfo(AF_UNSPEC) of v6srv gives its IPv6 address" { check_lookup v6cli v6srv unspec; }
@test "on v6cli, getaddrinfo(AF_UNSPEC) of ds4srv gives its IPv4 and IPv6 addresses" { check_lookup v6cli ds4srv unspec; }
@test "on v6cli, getaddrinfo(AF_UNSPEC) of ds6srv gives its IPv4 and IPv6 addresses" { check_lookup v6cli ds6srv unspec; }
@test "on v6cli, getaddrinfo(AF_INET) of v4srv gives its IPv4 address" { check_lookup v6cli v4srv inet; }
@test "on v6cli, getaddrinfo(AF_INET) of v6srv gives no address" { check_lookup v6cli v6srv inet; }
@test "on v6cli, getaddrinfo(AF_INET) of ds4srv gives its IPv4 address" { check_lookup v6cli ds4srv inet; }
@test "on v6cli, getaddrinfo(AF_INET) of ds6srv gives its IPv4 address" { check_lookup v6cli ds6srv inet; }
@test "on v6cli, getaddrinfo(AF_INET6 with AI_V4MAPPED|AI_ALL) of v4srv gives its IPv4-mapped address" { check_lookup v6cli v4srv mapped; }
@test "on v6cli, getaddrinfo(AF_INET6 with AI_V4MAPPED|AI_ALL) of v6srv gives its IPv6 address" { check_lookup v6cli v6srv mapped; }
@test "on v6cli, getaddrinfo(AF_INET6 with AI_V4MAPPED|AI_ALL) of ds4srv gives its IPv6 and IPv4-mapped addresses" { check_lookup v6cli ds4srv mapped; }
@test "on v6cli, getaddrinfo(AF_INET6 with AI_V4MAPPED|AI_ALL) of ds6srv gives its IPv6 and IPv4-mapped addresses" { check_lookup v6cli ds6srv mapped; }
@test "on dscli, getaddrinfo(AF_UNSPEC) of v4srv gives its IPv4 address" { check_lookup dscli v4srv unspec; }
@test "on dscli, getaddrinfo(AF_UNSPEC) of v6srv gives its IPv6 address" { check_lookup dscli v6srv unspec; }
@test "on dscli, getaddrinfo(AF_UNSPEC) of ds4srv gives its IPv4 and IPv6 addresses" { check_lookup dscli ds4srv unspec; }
@test "on dscli, getaddrinfo(AF_UNSPEC) of ds6srv gives its IPv4 and IPv6 addresses" { check_lookup dscli ds6srv unspec; }
@test "on dscli, getaddrinfo(AF_INET) of v4srv gives its IPv4 address" { check_lookup dscli v4srv inet; }
@test "on dscli, getaddrinfo(AF_INET) of v6srv gives no address" { check_lookup dscli v6srv inet; }
@test "on dscli, getaddrinfo(AF_INET) of ds4srv gives its IPv4 address" { check_lookup dscli ds4srv inet; }
@test "on dscli, getaddrinfo(AF_INET) of ds6srv gives its IPv4 address" { check_lookup dscli ds6srv inet; }
@test "on dscli, getaddrinfo(AF_INET6 with AI_V4MAPPED|AI_ALL) of v4srv gives its IPv4-mapped address" { check_lookup dscli v4srv mapped; }
@test "on dscli, getaddrinfo(AF_INET6 with AI_V4MAPPED|AI_ALL) of v6srv gives its IPv6 address" { check_lookup dscli v6srv mapped; }
@test "on dscli, getaddrinfo(AF_INET6 with AI_V4MAPPED|AI_ALL) of ds4srv gives its IPv6 and IPv4-mapped addresses" { check_lookup dscli ds4srv mapped; }
@test "on dscli, getaddrinfo(AF_INET6 with AI_V4MAPPED|AI_ALL) of ds6srv gives its IPv6 and IPv4-mapped addresses" { check_lookup dscli ds6srv mapped; }

# ---- reverse names

# From every client, each of HOST's addresses (and the IPv4-mapped form of
# its IPv4 address) maps back to HOST's name.
check_reverse() {
	local host=$1 client addrs=() addr a4 a6
	a4=$(host_addr "$host" inet) && addrs+=("$a4" "::ffff:$a4")
	a6=$(host_addr "$host" inet6) && addrs+=("$a6")
	for client in $(lab_hosts | grep cli); do
		for addr in "${addrs[@]}"; do
			run on "$client" timeout 10 getent hosts "$addr"
			assert_success
			assert_equal "$(awk '{ print $2 }' <<<"$output")" "$(host_fqdn "$host")"
		done
	done
}

@test "the reverse lookups of dns's addresses give dns.lab.test" { check_reverse dns; }
@test "the reverse lookups of v4srv's addresses give v4srv.lab.test" { check_reverse v4srv; }
@test "the reverse lookups of v6srv's addresses give v6srv.lab.test" { check_reverse v6srv; }
@test "the reverse lookups of ds4srv's addresses give ds4srv.lab.test" { check_reverse ds4srv; }
@test "the reverse lookups of ds6srv's addresses give ds6srv.lab.test" { check_reverse ds6srv; }
@test "the reverse lookups of v4cli's addresses give v4cli.lab.test" { check_reverse v4cli; }
@test "the reverse lookups of v6cli's addresses give v6cli.lab.test" { check_reverse v6cli; }
@test "the reverse lookups of dscli's addresses give dscli.lab.test" { check_reverse dscli; }
@test "the reverse lookups of nat64's addresses give nat64.lab.test" { check_reverse nat64; }

@test "a name outside the lab is refused, not forwarded" {
	run --separate-stderr on dscli timeout 10 "$(lab_tool gaiprobe)" example.com
	assert_failure 2
	assert_output ''
}

# ---- reachability

# From SOURCE, a TCP connection to a closed port of every other host's every
# address is refused when SOURCE has that IP version. When it has not, it
# fails at once, locally: ENETUNREACH for IPv4 on an IPv6-only host (no
# route), EADDRNOTAVAIL for IPv6 on an IPv4-only host (IPv6 disabled: no
# source address). An IPv4-mapped address counts as IPv4.
check_reach() {
	local source=$1 host addr a4 a6 targets=() expected=() family
	for host in $(lab_hosts); do
		[ "$host" != "$source" ] || continue
		a4=$(host_addr "$host" inet) && targets+=("$a4" "::ffff:$a4")
		a6=$(host_addr "$host" inet6) && targets+=("$a6")
	done
	for addr in "${targets[@]}"; do
		family=inet6
		[[ $addr == *.* ]] && family=inet
		if host_addr "$source" "$family" >/dev/null; then
			expected+=("$addr refused")
		elif [ "$family" = inet ]; then
			expected+=("$addr netunreach")
		else
			expected+=("$addr noaddr")
		fi
	done
	# shellcheck disable=SC2016 # expanded by the shell on the host
	run on "$source" timeout 60 bash -c 'for a in "${@:2}"; do echo "$a $("$1" "$a" 9)"; done' \
		_ "$(lab_tool tcpprobe)" "${targets[@]}"
	assert_success
	assert_equal "$output" "$(printf '%s\n' "${expected[@]}")"
}

@test "from dns, TCP reaches every address (a dual-stack host)" { check_reach dns; }
@test "from v4srv, TCP reaches exactly the IPv4 addresses" { check_reach v4srv; }
@test "from v6srv, TCP reaches exactly the IPv6 addresses" { check_reach v6srv; }
@test "from ds4srv, TCP reaches every address (a dual-stack host)" { check_reach ds4srv; }
@test "from ds6srv, TCP reaches every address (a dual-stack host)" { check_reach ds6srv; }
@test "from v4cli, TCP reaches exactly the IPv4 addresses" { check_reach v4cli; }
@test "from v6cli, TCP reaches exactly the IPv6 addresses" { check_reach v6cli; }
@test "from dscli, TCP reaches every address (a dual-stack host)" { check_reach dscli; }
@test "from nat64, TCP reaches every address (a dual-stack host)" { check_reach nat64; }

# ---- the resolvers of --dns MODE

# Milliseconds HOST takes to look up one PTR record through resolver MODE.
lookup_ms() {
	local mode=$1 host=$2 start
	start=$(now_ms)
	on --dns "$mode" "$host" timeout 20 getent hosts "$(host_addr v4srv inet)" >/dev/null || return
	echo $(($(now_ms) - start))
}

# A lookup on CLIENT through delay:MS takes MS, give or take process start-up.
check_delay() {
	local client=$1 ms=$2 took
	took=$(lookup_ms "delay:$ms" "$client")
	[ "$took" -ge "$ms" ] || fail "answered after $took ms, before the $ms ms delay"
	[ "$took" -lt $((ms + 1500)) ] || fail "answered after $took ms, long after the $ms ms delay"
}

@test "the delaying resolver answers v4cli (over IPv4) after its delay" { check_delay v4cli 700; }
@test "the delaying resolver answers v6cli (over IPv6) after its delay" { check_delay v6cli 700; }
@test "the delaying resolver answers dscli after its delay" { check_delay dscli 700; }

@test "the delaying resolver gives the same answers as dnsmasq" {
	local fast
	fast=$(on dscli timeout 10 "$(lab_tool gaiprobe)" -f inet6 -m -a ds4srv.lab.test)
	run on --dns delay:50 dscli timeout 10 "$(lab_tool gaiprobe)" -f inet6 -m -a ds4srv.lab.test
	assert_success
	assert_output "$fast"
}

@test "two lookups at once through one delaying resolver each wait one delay, not two" {
	local start took
	start=$(now_ms)
	lookup_ms delay:2000 dscli >/dev/null 3>&- &
	lookup_ms delay:2000 v6cli >/dev/null 3>&- &
	wait
	took=$(($(now_ms) - start))
	# queued, they would take 4000 ms
	if [ "$took" -lt 2000 ] || [ "$took" -ge 3500 ]; then
		fail "both lookups took $took ms"
	fi
}

@test "a short delay is not held up by a long one running at the same time" {
	local took
	lookup_ms delay:2500 dscli >/dev/null 3>&- &
	took=$(lookup_ms delay:300 dscli)
	wait
	[ "$took" -lt 1500 ] || fail "the 300 ms lookup took $took ms"
}

# With one-second timeouts and two attempts, a lookup through the silent
# resolver fails after about two seconds: it never got an answer.
check_silent() {
	local client=$1 start took
	start=$(now_ms)
	RES_OPTIONS="timeout:1 attempts:2" run on --dns silent "$client" timeout 10 \
		getent hosts "$(host_addr v4srv inet)"
	took=$(($(now_ms) - start))
	assert_failure 2
	assert_output ''
	if [ "$took" -lt 2000 ] || [ "$took" -ge 5000 ]; then
		fail "the lookup gave up after $took ms"
	fi
}

@test "the silent resolver never answers v4cli (over IPv4)" { check_silent v4cli; }
@test "the silent resolver never answers v6cli (over IPv6)" { check_silent v6cli; }

@test "a resolver chosen for one command does not stick to the host" {
	on --dns silent v4cli true
	run on v4cli timeout 5 grep nameserver /etc/resolv.conf
	assert_output "nameserver $(host_addr dns inet)"
}

# ---- NAT64/DNS64 (--dns dns64[:PREFIX])

# synthesized PREFIX HOST: HOST's IPv4 address embedded under PREFIX (/96).
synthesized() {
	python3 -c 'import ipaddress, sys
print(ipaddress.IPv6Network(sys.argv[1]).network_address + int(ipaddress.IPv4Address(sys.argv[2])))' \
		"$1" "$(host_addr "$2" inet)"
}

@test "through DNS64, v6cli gets ipv4only.arpa's two A records and v4srv's A record as AAAA under the prefix, and v6srv's own AAAA" {
	local prefix why
	! why=$(lab_unbuildable nat64) || skip "$why"
	read -r _ _ prefix _ <<<"$TOPO_NAT64"
	run --separate-stderr on --dns dns64 v6cli timeout 10 "$(lab_tool gaiprobe)" -f inet6 ipv4only.arpa
	assert_success
	run sort <<<"$output"
	assert_output "$(python3 -c 'import ipaddress, sys
n = ipaddress.IPv6Network(sys.argv[1]).network_address
print("inet6", n + 0xc00000aa); print("inet6", n + 0xc00000ab)' "$prefix")"
	run on --dns dns64 v6cli timeout 10 "$(lab_tool gaiprobe)" -f inet6 v4srv.lab.test
	assert_output "inet6 $(synthesized "$prefix" v4srv)"
	run on --dns dns64 v6cli timeout 10 "$(lab_tool gaiprobe)" -f inet6 v6srv.lab.test
	assert_output "inet6 $(host_addr v6srv inet6)"
	run on v6cli timeout 10 "$(lab_tool gaiprobe)" -f inet6 ipv4only.arpa
	assert_failure
}

@test "through the NAT64, a TCP connection from v6cli to v4srv's address under a second prefix is refused by v4srv itself" {
	local prefix=2001:db8:12:0:6052::/96 why
	! why=$(lab_unbuildable nat64) || skip "$why"
	run on --dns "dns64:$prefix" v6cli timeout 10 "$(lab_tool tcpprobe)" "$(synthesized "$prefix" v4srv)" 9
	assert_output --partial refused
}

@test "nat64_address writes an IPv4 address under a /96 as Python's ipaddress does (RFC 5952), and in_network tells an address of a network" {
	local prefixes=(2001:db8:12:0:64::/96 2001:db8:12::/96 2001:db8:12:0:0:1::/96 2001:db8:12:1:0:0::/96
		2001:0db8:0012:0000:0064:0000::/96 2001:db8::/96)
	local addrs=(192.0.2.10 0.0.0.0 0.0.0.1 1.0.0.0 192.0.0.170 255.255.255.255) prefix addr ours=() python
	for prefix in "${prefixes[@]}"; do
		for addr in "${addrs[@]}"; do
			nat64_address "$prefix" "$addr" "ours[${#ours[@]}]"
		done
	done
	python=$(python3 -c 'import ipaddress, sys
prefixes, addrs = sys.argv[1].split(), sys.argv[2].split()
for p in prefixes:
    for a in addrs:
        print(ipaddress.IPv6Network(p).network_address + int(ipaddress.IPv4Address(a)))' "${prefixes[*]}" "${addrs[*]}")
	assert_equal "$(printf '%s\n' "${ours[@]}")" "$python"
	in_network 192.0.2.64 192.0.2.64/27 && in_network 192.0.2.95 192.0.2.64/27 && in_network 1.2.3.4 0.0.0.0/0
	! in_network 192.0.2.96 192.0.2.64/27 && ! in_network 192.0.2.63 192.0.2.64/27
}

@test "a NAT64 prefix outside the lab's network is refused" {
	run "$LAB_GRADER_ROOT/net" exec --net "$LABNET" --dns dns64:64:ff9b::/96 v6cli true
	assert_failure 2
	assert_output --partial "bad NAT64 prefix"
}

# ---- grader/net and its helpers

@test "net exec passes the command's exit status through" {
	run on v6cli sh -c 'exit 7'
	assert_failure 7
}

@test "net exec passes stdin to the command, and its stdout and stderr back" {
	# shellcheck disable=SC2016 # expanded on the host
	run --separate-stderr on v6cli sh -c 'read -r line; echo "out $line"; echo "err $line" >&2' <<<hello
	assert_success
	assert_output "out hello"
	assert_equal "${stderr:-}" "err hello"
}

@test "a sandboxed command on a host runs in the cgroup the sandbox made for it" {
	local ON cgroup=nettest$$/limits
	((EUID == 0)) || skip "the sandbox uses cgroups only as root"
	lab_on v6cli
	run "${ON[@]}" "$LAB_GRADER_ROOT/tools/confine" "$cgroup" cat /proc/self/cgroup
	"$LAB_GRADER_ROOT/tools/confine" --reap "$cgroup"
	assert_success
	assert_line --regexp "^[0-9]+:(memory|pids)?:/ipv6lab/$cgroup\$"
}

# execs_before_valgrind [--on HOST]: the programs started (exec) on the
# way from lib/lab.bash to valgrind, for a student command, one a word.
execs_before_valgrind() {
	local LAB_WORK=$BATS_TEST_TMPDIR/work LAB_DIR=$BATS_TEST_TMPDIR GRADER=$LAB_GRADER_ROOT
	local LAB_BUILD cmd cgroup
	LAB_BUILD=$(mktemp -d /tmp/nettest.XXXXXX)
	chmod 755 "$LAB_BUILD"
	# shellcheck source=grader/lib/lab.bash
	source "$LAB_GRADER_ROOT/lib/lab.bash"
	_student_cmd "$@" /bin/true
	strace -f -qq -e trace=execve -e signal=none -o "$BATS_TEST_TMPDIR/trace" "${cmd[@]}" >/dev/null
	rm -rf "$LAB_BUILD"
	grep -v ENOENT "$BATS_TEST_TMPDIR/trace" | sed -n 's|.*execve("\([^"]*\)".*|\1|p' |
		sed 's|.*/||' | sed '/^valgrind$/q' | sed '$d' | xargs
}

@test "a student command costs at most three execs before valgrind: timeout, the way onto the host, the sandbox" {
	command -v strace >/dev/null || skip "strace is not installed"
	((EUID == 0)) || skip "the sandbox confines student code only as root"
	run execs_before_valgrind --on v6cli
	assert_output "timeout hostexec confine"
	run execs_before_valgrind
	assert_output "timeout confine"
}

@test "a sandboxed command on a host sees the host's resolver and hosts files, through the sandbox's own root" {
	local ON cgroup=nettest$$/files
	((EUID == 0)) || skip "the sandbox has a root of its own only as root"
	lab_on v6cli
	run "${ON[@]}" "$LAB_GRADER_ROOT/tools/confine" "$cgroup" sh -c \
		'cat /etc/resolv.conf /etc/hosts; test -e /sys || test -e /work || echo confined'
	"$LAB_GRADER_ROOT/tools/confine" --reap "$cgroup"
	assert_success
	assert_output "$(on v6cli cat /etc/resolv.conf /etc/hosts)"$'\n'confined
}

@test "net exec on an unknown host is a usage error that names the host" {
	run on nosuchhost true
	assert_failure 2
	assert_output --partial "unknown host 'nosuchhost'"
}

@test "net exec on a network that is not up says so" {
	LABNET=nosuch$$ run on v4cli true
	assert_failure 1
	assert_output --partial "network 'nosuch$$' is not up"
}

@test "net exec with an unknown resolver mode is a usage error" {
	run on --dns slowish v4cli true
	assert_failure 2
	assert_output --partial "unknown --dns mode 'slowish'"
}

@test "net up on a network that is already up says so and succeeds" {
	run lab_up
	assert_success
	assert_output --partial "already up"
}

@test "net list shows the network" {
	run timeout 10 "$LAB_GRADER_ROOT/net" list
	assert_success
	assert_output --partial "$LABNET"
}

@test "wait_listen returns once something listens" {
	run wait_listen dns 53 udp 5
	assert_success
}

@test "wait_listen gives up with a reason when nothing listens" {
	run wait_listen dns 54 tcp 1
	assert_failure
	assert_output --partial "nothing listens on dns tcp port 54"
}

# Lists what network $1 has on this machine: namespaces, /etc/netns
# directories, state; one per line.
netns_traces() {
	ip netns list | awk -v p="$1-" 'index($1, p) == 1 { print "netns", $1 }'
	ls -d /etc/netns/"$1"-* /run/labnet/"$1" 2>/dev/null || true
}

@test "net down removes every namespace, process, /etc/netns directory and state file" {
	[ "$LABNET_BACKEND" = netns ] || skip "netns backend only"
	local net=${LABNET}d pids=() ns pid
	LABNET=$net lab_up >/dev/null
	LABNET=$net on --dns delay:10 dscli true
	LABNET=$net on v4srv sleep 60 3>&- 2>/dev/null &
	for ns in $(ip netns list | awk -v p="$net-" 'index($1, p) == 1 { print $1 }'); do
		mapfile -t -O ${#pids[@]} pids < <(ip netns pids "$ns")
	done
	[ ${#pids[@]} -ge 3 ] || fail "expected dnsmasq, slowdns and sleep; found pids ${pids[*]}"
	LABNET=$net run lab_down
	assert_success
	wait
	assert_equal "$(netns_traces "$net")" ''
	for pid in "${pids[@]}"; do
		# A zombie has ended; its parent (init, for daemons) reaps it when it will.
		if [[ $(ps -o stat= -p "$pid") != Z* ]] && [ -d "/proc/$pid" ]; then
			fail "process $pid ($(cat "/proc/$pid/comm")) is still running"
		fi
	done
}

@test "net down on a network that is down is harmless" {
	LABNET=${LABNET}x run lab_down
	assert_success
	LABNET=${LABNET}x run lab_down
	assert_success
}

@test "a network whose owner died is removed by the next net up" {
	[ "$LABNET_BACKEND" = netns ] || skip "netns backend only"
	local net=${LABNET}o owner
	sleep 60 3>&- &
	owner=$!
	LABNET=$net lab_up --owner "$owner" >/dev/null
	kill "$owner"
	wait "$owner" || true
	run lab_up
	assert_success
	assert_output --partial "removing network '$net'"
	assert_equal "$(netns_traces "$net")" ''
}
