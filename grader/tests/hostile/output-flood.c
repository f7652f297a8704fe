/*
 * Hostile: writes without end on stdout and stderr when it reads standard
 * input.  The grader keeps 1 MiB of each and drops the rest.
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 29
 * Expect-fail: addrclass with no arguments classifies one address per line of its standard input
 * Expect-fail: addrclass reads a long standard input, long lines and CRLF endings included
 * Expect-fail: every addrclass run is clean under valgrind
 */
#include <stdio.h>

__attribute__((constructor)) static void hostile(int argc)
{
	while (argc == 1) {
		fputs("::1: loopback\n", stdout);
		fputs("addrclass: flooding\n", stderr);
	}
}
