/*
 * Hostile: at every run, opens a descriptor it never closes, in code that
 * a #line directive names "<inherited from parent>", the words valgrind
 * writes under a descriptor the program was given.  The grader forgives a
 * descriptor only for valgrind's own line, alone under it, not for those
 * words in a frame.
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 33
 * Expect-fail: every addrclass run is clean under valgrind
 */
#include <fcntl.h>
#line 1 "<inherited from parent>"
__attribute__((constructor)) static void hostile(void)
{
	(void)open("/dev/null", O_RDONLY);
}
