/*
 * Hostile: aborts when it reads standard input.  valgrind reports the
 * signal that ended the program, so its test is lost too.
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 29
 * Expect-fail: addrclass with no arguments classifies one address per line of its standard input
 * Expect-fail: addrclass reads a long standard input, long lines and CRLF endings included
 * Expect-fail: every addrclass run is clean under valgrind
 */
#include <stdlib.h>

__attribute__((constructor)) static void hostile(int argc)
{
	if (argc == 1)
		abort();
}
