/*
 * Hostile: ignores SIGTERM and every other signal it can, then sleeps
 * forever, when it reads standard input.
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 29
 * Expect-fail: addrclass with no arguments classifies one address per line of its standard input
 * Expect-fail: addrclass reads a long standard input, long lines and CRLF endings included
 * Expect-fail: every addrclass run is clean under valgrind
 */
#include <signal.h>
#include <unistd.h>

__attribute__((constructor)) static void hostile(int argc)
{
	if (argc != 1)
		return;
	for (int sig = 1; sig < 32; sig++)
		signal(sig, SIG_IGN);
	for (;;)
		sleep(1);
}
