/*
 * Hostile: takes memory, 16 MiB at a time and every page touched, until it
 * is stopped, when given arguments.
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 28
 * Expect-fail: addrclass names every class that holds, in order, for each address on its command line
 * Expect-fail: addrclass rejects text that is not an IPv6 address, still classifies the rest, and exits 2
 * Expect-fail: every addrclass run is clean under valgrind
 */
#include <stdlib.h>
#include <string.h>

__attribute__((constructor)) static void hostile(int argc)
{
	while (argc > 1) {
		char *block = malloc(16 << 20);

		if (block != NULL)
			memset(block, 1, 16 << 20);
	}
}
