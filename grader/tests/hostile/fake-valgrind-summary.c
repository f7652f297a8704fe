/*
 * Hostile: at every run, leaves a daemon that writes valgrind's all-clear
 * for its own process on every descriptor it holds (valgrind's log among
 * them) and never ends.  The log then looks clean; the sandbox's own
 * record of the processes left running does not.
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 33
 * Expect-fail: every addrclass run is clean under valgrind
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__attribute__((constructor)) static void hostile(void)
{
	char summary[256];

	if (fork() != 0)
		return;
	snprintf(summary, sizeof summary,
		 "==%d== HEAP SUMMARY:\n==%d==     in use at exit: 0 bytes in 0 blocks\n"
		 "==%d== All heap blocks were freed -- no leaks are possible\n"
		 "==%d== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)\n",
		 (int)getpid(), (int)getpid(), (int)getpid(), (int)getpid());
	for (int fd = 3; fd < 64; fd++)
		(void)!write(fd, summary, strlen(summary));
	for (;;)
		pause();
}
