/*
 * Hostile: in the run that rejects an address (which exits 2), leaks
 * memory, then at exit writes valgrind's all-clear for its own process on
 * every descriptor above 2 (valgrind's log among them, were it writable)
 * and replaces itself with `sh -c 'exit 2'`, so that valgrind never
 * writes the real summary of the leaky program.  The log's descriptor
 * refuses the writes, the shell runs under valgrind too, and a process
 * that ran two programs is not clean.
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 33
 * Expect-fail: every addrclass run is clean under valgrind
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int rejects;

__attribute__((constructor)) static void look(int argc, char **argv)
{
	struct in6_addr a;

	for (int i = 1; i < argc; i++)
		if (inet_pton(AF_INET6, argv[i], &a) != 1)
			rejects = 1;
}

__attribute__((destructor)) static void hostile(void)
{
	char summary[512];
	int pid = (int)getpid(), n;

	if (!rejects)
		return;
	n = snprintf(summary, sizeof summary,
		     "==%d== HEAP SUMMARY:\n==%d==     in use at exit: 0 bytes in 0 blocks\n"
		     "==%d== All heap blocks were freed -- no leaks are possible\n==%d== \n"
		     "==%d== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)\n",
		     pid, pid, pid, pid, pid);
	if (malloc(100) == NULL) /* lost at once */
		return;
	for (int fd = 3; fd < 256; fd++)
		(void)!write(fd, summary, (size_t)n);
	fflush(stdout);
	execl("/bin/sh", "sh", "-c", "exit 2", (char *)NULL);
}
