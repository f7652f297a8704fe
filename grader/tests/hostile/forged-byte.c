/*
 * Hostile: at every run, writes one byte without a newline on every
 * descriptor above 2 (valgrind's log among them, were it writable) just
 * before an invalid read, so that valgrind's line naming the error would
 * start with that byte and not with ==PID==.  The log's descriptor
 * refuses the byte, and the error is counted all the same.
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 33
 * Expect-fail: every addrclass run is clean under valgrind
 */
#include <stdlib.h>
#include <unistd.h>

static volatile size_t past = 8; /* an index the compiler cannot check */

__attribute__((constructor)) static void hostile(void)
{
	char *block = calloc(8, 1);
	volatile char sink;

	for (int fd = 3; fd < 256; fd++)
		(void)!write(fd, "x", 1);
	if (block != NULL) {
		sink = block[past];
		(void)sink;
		free(block);
	}
}
