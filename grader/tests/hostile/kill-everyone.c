/*
 * Hostile: sends SIGKILL to every process it may signal, for a second at
 * the start of every run, then does its job.  In the sandbox that is none
 * but its own, so nothing else of the class's grading may suffer.
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 36
 */
#include <signal.h>
#include <time.h>

__attribute__((constructor)) static void hostile(void)
{
	struct timespec tick = {0, 10 * 1000 * 1000};

	for (int i = 0; i < 100; i++) {
		kill(-1, SIGKILL);
		nanosleep(&tick, NULL);
	}
}
