/*
 * Hostile: spins forever when it reads standard input.
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 29
 * Expect-fail: addrclass with no arguments classifies one address per line of its standard input
 * Expect-fail: addrclass reads a long standard input, long lines and CRLF endings included
 * Expect-fail: every addrclass run is clean under valgrind
 */
__attribute__((constructor)) static void hostile(int argc)
{
	volatile unsigned long spins = 0;

	while (argc == 1)
		spins++;
}
