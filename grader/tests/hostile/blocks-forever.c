/*
 * Hostile: waits forever for a signal that never comes, when given
 * arguments.
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 28
 * Expect-fail: addrclass names every class that holds, in order, for each address on its command line
 * Expect-fail: addrclass rejects text that is not an IPv6 address, still classifies the rest, and exits 2
 * Expect-fail: every addrclass run is clean under valgrind
 */
#include <unistd.h>

__attribute__((constructor)) static void hostile(int argc)
{
	while (argc > 1)
		pause();
}
