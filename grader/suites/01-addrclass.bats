#!/usr/bin/env bats
# Lab 01-addrclass: the IN6_IS_ADDR_* tests of section 12.4, as functions,
# checked against the system macros; then the addrclass command.
#
# Hidden tests (tagged hidden, run by grade-all, not by make grade) check
# only what the lab's README or its skeleton's TODO comments ask for:
# harder cases of the behaviour stated there, never behaviour they leave
# unsaid.
# shellcheck disable=SC2154 # $stderr comes from bats' run --separate-stderr

load ../lib/lab

# addrclass answers at once (well under a second under valgrind); it gets
# the usual 10 s all the same, for a machine loaded by a class's grading.
# The check of in6class.c gives each function 5 s (see check.c) and runs
# them side by side.

# The grader's check of in6class.c (see 01-addrclass/check.c) runs once, in
# the first test that needs it; each function's test reads its line.  The
# judge (check) holds no student code; check-worker runs the functions.
check_output() {
	local out=$LAB_WORK/check.out
	if [[ ! -e $out ]]; then
		local judge worker
		judge=$(kit_program in6check) &&
			worker=$(build_driver check-worker "$BATS_TEST_DIRNAME/01-addrclass/worker.c" \
				"$LAB_DIR/in6class.o") || return 1
		STUDENT_TIMEOUT=20 student "$judge" "$worker" >"$out.tmp" 2>&1 || true
		mv "$out.tmp" "$out"
	fi
	cat "$out"
}

# agrees NAME: in6_is_addr_NAME matches the system macro on every address.
agrees() {
	run check_output
	assert_success
	local line
	line=$(grep "^in6_is_addr_$1: " <<<"$output") ||
		fail "the check of in6_is_addr_$1 never reported (the whole check failed?):"$'\n'"$output"
	[[ $line == *": ok ("* ]] || fail "$line"
}

# points: 2
@test "in6_is_addr_unspecified agrees with IN6_IS_ADDR_UNSPECIFIED on boundary and random addresses" { agrees unspecified; }
# points: 2
@test "in6_is_addr_loopback agrees with IN6_IS_ADDR_LOOPBACK on boundary and random addresses" { agrees loopback; }
# points: 2
@test "in6_is_addr_multicast agrees with IN6_IS_ADDR_MULTICAST on boundary and random addresses" { agrees multicast; }
# points: 2
@test "in6_is_addr_linklocal agrees with IN6_IS_ADDR_LINKLOCAL on boundary and random addresses" { agrees linklocal; }
# points: 2
@test "in6_is_addr_sitelocal agrees with IN6_IS_ADDR_SITELOCAL on boundary and random addresses" { agrees sitelocal; }
# points: 2
@test "in6_is_addr_v4mapped agrees with IN6_IS_ADDR_V4MAPPED on boundary and random addresses" { agrees v4mapped; }
# points: 2
@test "in6_is_addr_v4compat agrees with IN6_IS_ADDR_V4COMPAT on boundary and random addresses" { agrees v4compat; }
# points: 2
@test "in6_is_addr_mc_nodelocal agrees with IN6_IS_ADDR_MC_NODELOCAL on boundary and random addresses" { agrees mc_nodelocal; }
# points: 2
@test "in6_is_addr_mc_linklocal agrees with IN6_IS_ADDR_MC_LINKLOCAL on boundary and random addresses" { agrees mc_linklocal; }
# points: 2
@test "in6_is_addr_mc_sitelocal agrees with IN6_IS_ADDR_MC_SITELOCAL on boundary and random addresses" { agrees mc_sitelocal; }
# points: 2
@test "in6_is_addr_mc_orglocal agrees with IN6_IS_ADDR_MC_ORGLOCAL on boundary and random addresses" { agrees mc_orglocal; }
# points: 2
@test "in6_is_addr_mc_global agrees with IN6_IS_ADDR_MC_GLOBAL on boundary and random addresses" { agrees mc_global; }

# Addresses and the line addrclass must print for each: one of every class,
# the boundaries a wrong mask misses, and one of no class at all.
KNOWN=(
	"::: unspecified"
	"::1: loopback"
	"::192.0.2.1: v4compat"
	"::ffff:192.0.2.1: v4mapped"
	"fe80::1: linklocal"
	"febf:ffff::1: linklocal"
	"fec0::1: sitelocal"
	"ff01::1: multicast mc_nodelocal"
	"ff02::1: multicast mc_linklocal"
	"ff15::2: multicast mc_sitelocal"
	"ff38::3: multicast mc_orglocal"
	"ff1e::101: multicast mc_global"
	"ff03::1: multicast"
	"2001:db8:12::1: none"
)

known_addresses() {
	local line
	for line in "${KNOWN[@]}"; do
		echo "${line%: *}"
	done
}

# points: 3
@test "addrclass names every class that holds, in order, for each address on its command line" {
	local addrs
	mapfile -t addrs < <(known_addresses)
	run --separate-stderr student addrclass "${addrs[@]}"
	show_stderr
	assert_success
	assert_output "$(printf '%s\n' "${KNOWN[@]}")"
}

# points: 2
@test "addrclass with no arguments classifies one address per line of its standard input" {
	run --separate-stderr student addrclass < <(known_addresses)
	show_stderr
	assert_success
	assert_output "$(printf '%s\n' "${KNOWN[@]}")"
}

# points: 2
@test "addrclass rejects text that is not an IPv6 address, still classifies the rest, and exits 2" {
	run --separate-stderr student addrclass ::1 192.0.2.1 fe80::zz ff02::1
	show_stderr
	assert_equal "$status" 2
	assert_output "$(printf '%s\n' "::1: loopback" "ff02::1: multicast mc_linklocal")"
	[[ $stderr == *"addrclass: 192.0.2.1: not an IPv6 address"* ]] || fail "stderr: $stderr"
	[[ $stderr == *"addrclass: fe80::zz: not an IPv6 address"* ]] || fail "stderr: $stderr"
}

# points: 2
# bats test_tags=hidden
@test "addrclass reads a long standard input, long lines and CRLF endings included" {
	{
		for ((i = 0; i < 3000; i++)); do printf 'ff02::%x\r\n' "$i"; done
		printf '%*s\n' 5000 x | tr ' ' 'y'
		printf '::1'
	} >"$BATS_TEST_TMPDIR/input"
	run --separate-stderr student addrclass <"$BATS_TEST_TMPDIR/input"
	show_stderr
	assert_equal "$status" 2
	assert_equal "$(grep -c ': multicast mc_linklocal$' <<<"$output")" 3000
	assert_line --index 3000 "::1: loopback"
	[[ $stderr == *": not an IPv6 address"* ]] || fail "the 5000-character line was not rejected"
}

# points: 3
@test "every addrclass run is clean under valgrind" { assert_valgrind_clean; }
