#!/usr/bin/env bats
# The grade of an ordinary user, without root (grader/lib/userns.bash): run
# as root, these tests make the user ipv6student when it is missing, give
# it a copy of the kit, and grade as that user.

load meta

STUDENT=ipv6student

setup_file() {
	((EUID == 0)) || return 0
	id "$STUDENT" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$STUDENT"
	COPY=$(mktemp -d /tmp/ipv6student-kit.XXXXXX)
	cp -r "$KIT/Makefile" "$KIT/labs" "$KIT/solutions" "$KIT/grader" "$COPY/"
	chown -R "$STUDENT:" "$COPY"
	export COPY
}

teardown_file() {
	[[ -n ${COPY:-} ]] || return 0
	runuser -u "$STUDENT" -- "$COPY/grader/net" down >/dev/null 2>&1 || true
	rm -rf "$COPY"
}

setup() {
	((EUID == 0)) || skip "these tests make a user and grade as that user: they need root"
}

# as_student CMD...: CMD as the user, in its copy of the kit, with a clean
# environment.
# shellcheck disable=SC2016 # expanded by that shell
as_student() {
	runuser -u "$STUDENT" -- env -i PATH=/usr/local/bin:/usr/bin:/bin \
		HOME="$(getent passwd "$STUDENT" | cut -d: -f6)" LANG=C.UTF-8 \
		sh -c 'cd "$0" && exec "$@"' "$COPY" "$@"
}

require_userns() {
	as_student unshare --user --map-root-user --net --mount true ||
		skip "user namespaces are off for ordinary users here"
}

@test "an ordinary user's make grade grades every lab of solutions/ in full, saying it runs without a second user" {
	require_userns
	run as_student timeout -k 5 1500 make -s grade SUBMISSION=solutions OUT="$COPY/out"
	assert_output --partial "Without root: the lab network is in a user namespace of yours"
	assert_output --partial "Student code runs as you"
	refute_output --partial "DOES NOT BUILD"
	assert_success
	assert_output --regexp $'\nScore: ([0-9]+)/\\1\n'
	if ! as_student test -r /dev/net/tun -a -w /dev/net/tun; then
		# Where the user may not open /dev/net/tun (a container's 0600),
		# the NAT64 cannot run: the tests that need it are not graded, and
		# the report says why.
		assert_output --regexp $'\nNot graded here: [0-9]+ tests, [0-9]+ points'
		assert_output --partial "/dev/net/tun is not open to this user"
	fi
}

@test "where an ordinary user may make no user namespace, grade says which knob forbids it and how to change it, exit 2" {
	local uid gid pid map fifo=$BATS_TEST_TMPDIR/mapped
	uid=$(id -u "$STUDENT") gid=$(id -g "$STUDENT")
	mkfifo "$fifo"
	# A user namespace of root's that maps root and the user, where
	# user.max_user_namespaces is 0: the user can make none inside it.  The
	# command waits for its maps, then starts again as root of it.
	cd "$COPY"
	# shellcheck disable=SC2016 # expanded by those shells
	unshare --user -- sh -c 'read -r _ <"$0" && exec "$@"' "$fifo" \
		sh -c 'echo 0 >/proc/sys/user/max_user_namespaces &&
			exec runuser -u "$0" -- grader/grade --lab 01 --submission solutions --out out-no-userns' \
		"$STUDENT" >"$BATS_TEST_TMPDIR/output" 2>&1 3>&- &
	pid=$!
	until [[ $(readlink "/proc/$pid/ns/user") != "$(readlink /proc/self/ns/user)" ]]; do sleep 0.05; done
	# Each map in one write (bash's printf writes a line at a time).
	printf -v map '0 0 1\n%s %s 1' "$uid" "$uid"
	cat <<<"$map" >"/proc/$pid/uid_map"
	printf -v map '0 0 1\n%s %s 1' "$gid" "$gid"
	cat <<<"$map" >"/proc/$pid/gid_map"
	echo go >"$fifo"
	local rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 2
	run cat "$BATS_TEST_TMPDIR/output"
	assert_output --partial "does not let $STUDENT make one"
	assert_output --partial "sudo sysctl -w user.max_user_namespaces=15000"
	assert_output --partial "sudo make grade"
	refute_output --partial "Grading"
}

@test "an ordinary user's make net-up leaves a network that make shell enters and make net-down removes" {
	require_userns
	run as_student timeout -k 5 60 make -s net-up
	assert_success
	assert_output --partial "network 'lab' is up (9 hosts)"
	run as_student timeout -k 5 30 sh -c 'echo "hostname; cat /etc/resolv.conf; getent ahosts ds6srv" | make -s shell HOST=v6cli'
	assert_success
	assert_line v6cli
	assert_line "nameserver 2001:db8:12::53"
	assert_output --partial "2001:db8:12::"
	run as_student timeout -k 5 30 grader/net exec dscli cat /proc/net/if_inet6
	assert_success
	run as_student timeout -k 5 60 make -s net-down
	assert_success
	run as_student grader/net status
	assert_failure
	run pgrep --runstates RSD -u "$STUDENT"
	assert_output ''
}
