#!/usr/bin/env bats
# The sandbox student code runs in (grader/tools/confine),
# seen from outside and from inside: its session and terminal, its file
# system, valgrind's log descriptor, its SysV IPC objects.

load meta

SANDBOX=$KIT/grader/tools/confine

setup() {
	((EUID == 0)) || skip "the sandbox confines student code only as root"
	CG=sbxtest$$/t$BATS_TEST_NUMBER
}

teardown() {
	((EUID != 0)) || "$SANDBOX" --reap "$CG"
}

# sandboxed_pid COMM: the pid, outside the sandbox, of the process named
# COMM that runs in cgroup $CG, once it runs (5 s at most).
sandboxed_pid() {
	local pid _
	for _ in {1..50}; do
		for pid in $(pgrep -u ipv6lab -x "$1"); do
			if grep -q "/ipv6lab/$CG\$" "/proc/$pid/cgroup" 2>/dev/null; then
				echo "$pid"
				return
			fi
		done
		sleep 0.1
	done
	return 1
}

@test "a sandboxed command is in a session of its own, with no controlling terminal" {
	"$SANDBOX" --no-net "$CG" sleep 30 3>&- &
	local job=$! pid stat sid tty mine
	pid=$(sandboxed_pid sleep) || fail "the sandboxed sleep never ran"
	stat=$(<"/proc/$pid/stat")
	read -r _ _ _ sid tty _ <<<"${stat##*) }" # state ppid pgrp session tty_nr
	mine=$(<"/proc/$BASHPID/stat")
	mine=$(awk '{ print $4 }' <<<"${mine##*) }")
	"$SANDBOX" --reap "$CG"
	wait "$job" || true
	[[ $sid != "$mine" ]] || fail "it is in the grader's session $mine"
	assert_equal "$tty" 0
}

@test "a sandboxed command started from a terminal has none on stdin, stdout or stderr" {
	local cmd
	printf -v cmd '%q ' "$SANDBOX" --no-net "$CG" sh -c 'ls -l /proc/self/fd/0 /proc/self/fd/1 /proc/self/fd/2; printf "\033]0;title\007\n"'
	run script -qec "$cmd" /dev/null
	assert_success
	assert_line --partial "/proc/self/fd/0 -> /dev/null"
	refute_output --partial /dev/pts
	assert_output --partial "^[]0;title^G"
}

@test "the sandbox's file system is an allow-list: no kit, no home, no terminal" {
	# shellcheck disable=SC2016 # expanded in the sandbox
	run "$SANDBOX" --no-net "$CG" sh -c 'for path in "$@"; do [ ! -e "$path" ] || echo "$path"; done; ls /dev' \
		sh "$KIT" /work /home /root /srv /opt /mnt /var/lib /var/log /run/netns /sys /boot \
		/dev/tty /dev/ptmx /dev/console /dev/pts /dev/vda
	assert_success
	assert_output "$(printf '%s\n' fd full null random shm stderr stdin stdout urandom zero)"
}

@test "the sandbox's /usr and /etc are there, read-only" {
	run "$SANDBOX" --no-net "$CG" sh -c 'test -x /usr/bin/cc && test -f /etc/passwd && touch /etc/x /usr/x /x'
	assert_failure
	assert_output --partial "Read-only file system"
}

@test "a program under valgrind can neither write(2) on the log the sandbox gives valgrind nor take back a line of it" {
	local fd dir log=$BATS_TEST_TMPDIR/run.log
	fd=$("$SANDBOX" --log-fd)
	dir=$(mktemp -d /tmp/sbxtest.XXXXXX)
	chmod 755 "$dir"
	cat >"$dir/w.c" <<'C'
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	int fd = argc > 1 ? atoi(argv[1]) : 9, copy = dup(fd); /* valgrind lets a dup through */
	int wrote = write(fd, "forged\n", 7) == 7, cut = copy >= 0 && ftruncate(copy, 0) == 0;

	return wrote + 2 * cut;
}
C
	cc -o "$dir/w" "$dir/w.c"
	run "$SANDBOX" --no-net --build "$dir" --log "$log" "$CG" valgrind "--log-fd=$fd" "$dir/w" "$fd"
	rm -rf "$dir"
	assert_success
	run grep -c forged "$log"
	assert_output 0
	run grep -c -e "Warning: invalid file descriptor $fd in syscall write()" -e "Memcheck, a memory error detector" "$log"
	assert_output 2
}

@test "SysV shared memory, semaphores and message queues die with the sandboxed command" {
	local before
	before=$(ipcs -m -s -q)
	run "$SANDBOX" --no-net "$CG" sh -c 'ipcmk -M 1048576 && ipcmk -S 4 && ipcmk -Q'
	assert_success
	run ipcs -m -s -q
	assert_output "$before"
}

@test "a sandboxed command starts with no signal ignored or blocked, whatever the grader ignores" {
	# A test runner may start the grader with SIGALRM ignored (bats --jobs
	# does): a student's alarm() must still fire.
	# Signals 32 and 33 are the C library's own, which it sets up itself
	# in every program (and a program cannot set).
	local ign blk reserved=$(((1 << 31) | (1 << 32)))
	run bash -c 'trap "" ALRM HUP; exec "$0" --no-net "$1" grep -E "^Sig(Ign|Blk):" /proc/self/status' \
		"$SANDBOX" "$CG"
	assert_success
	ign=$(sed -n 's/^SigIgn:[[:space:]]*//p' <<<"$output")
	blk=$(sed -n 's/^SigBlk:[[:space:]]*//p' <<<"$output")
	[[ -n $ign && -n $blk ]] || fail "no SigIgn or SigBlk line: $output"
	(((0x$ign & ~reserved) == 0)) || fail "ignored: $ign"
	(((0x$blk & ~reserved) == 0)) || fail "blocked: $blk"
}
