/*
 * Hostile: every addrclass run prints, on stdout and stderr, bytes that are
 * not UTF-8, a lone surrogate's encoding, NULs, a carriage return that
 * rewrites its line, a bidirectional override, and terminal escapes that
 * set the window title, clear the screen and paint a fake full score.
 * The lines it breaks fail and show those characters as escapes; every
 * report stays valid and no escape reaches the terminal or report.txt.
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
	static const char junk[] =
		"\xff\xfe\xed\xa0\x80 not UTF-8\n"
		"nul\0byte\n"
		"all wrong\rall right\n"
		"\xe2\x80\xae reversed\n"
		"\x1b]0;graded\x07\x1b[2J\x1b[H\x1b[1;32mScore: 36/36\x1b[0m\n";

	(void)!write(1, junk, sizeof junk - 1);
	(void)!write(2, junk, sizeof junk - 1);
}
