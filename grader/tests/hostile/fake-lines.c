/*
 * Hostile: prints what a grader might believe (TAP lines, a score,
 * valgrind's all-clear) on stdout, stderr and any other descriptor it may
 * have inherited (bats writes its results on fd 3), and exits at once, at
 * every run.  The verdicts are the grader's: only the command's tests are lost.
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 27
 * Expect-fail: addrclass names every class that holds, in order, for each address on its command line
 * Expect-fail: addrclass with no arguments classifies one address per line of its standard input
 * Expect-fail: addrclass rejects text that is not an IPv6 address, still classifies the rest, and exits 2
 * Expect-fail: addrclass reads a long standard input, long lines and CRLF endings included
 */
#include <unistd.h>

__attribute__((constructor)) static void hostile(void)
{
	static const char fake[] =
		"ok 1 addrclass names every class that holds\n"
		"ok 2 every addrclass run is clean under valgrind\n"
		"==1== All heap blocks were freed -- no leaks are possible\n"
		"==1== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)\n"
		"  01-addrclass: 36/36\n"
		"Score: 36/36\n";

	for (int fd = 1; fd < 64; fd++) /* the grader's own output, if it had left one open */
		(void)!write(fd, fake, sizeof fake - 1);
	_exit(0);
}
