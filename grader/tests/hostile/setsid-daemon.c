/*
 * Hostile: leaves a daemon behind at every run (a child that starts a
 * session of its own and never ends), then does its job.  Only valgrind
 * notices: the daemon is killed before it can report.
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 33
 * Expect-fail: every addrclass run is clean under valgrind
 */
#include <unistd.h>

__attribute__((constructor)) static void hostile(void)
{
	if (fork() != 0)
		return;
	setsid();
	if (fork() != 0)
		_exit(0);
	for (;;)
		pause();
}
