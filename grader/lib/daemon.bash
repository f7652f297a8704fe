# daemon.bash - starting a daemon that keeps none of its starter's descriptors.
#
# A process started with `&` or `setsid` inherits every open descriptor of
# its parent: a dockerd started under `flock LOCK cmd` held the lock for its
# whole life.  start_daemon gives the daemon stdin from /dev/null, stdout
# and stderr into a log, and nothing else.

# start_daemon LOG COMMAND [ARG...]: starts COMMAND in a new session, in the
# background, with /dev/null, LOG and LOG as descriptors 0-2 and no other
# descriptor open; sets DAEMON_PID to its process id.
start_daemon() {
	local log=$1
	shift
	(
		local fd
		# Bash lists /proc/self/fd itself, without a child, so these are the
		# subshell's own descriptors (and the one it reads the list with,
		# already closed by then: closing it again does no harm).
		for fd in /proc/self/fd/*; do
			fd=${fd##*/}
			if ((fd > 2)); then exec {fd}>&-; fi
		done
		exec setsid "$@" </dev/null >"$log" 2>&1
	) &
	# shellcheck disable=SC2034  # for the caller
	DAEMON_PID=$!
}
