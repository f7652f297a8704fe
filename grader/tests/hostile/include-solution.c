/*
 * Hostile: in6class.c is nothing but an #include of the reference
 * solution, by its path in the kit (@KIT@ is replaced by the kit's folder).
 * The build cannot see the solutions: it fails and the lab scores nothing.
 * Into: in6class.c
 * Mode: replace
 * Base: solutions
 * Expect-score: 0
 * Expect-build-fail
 */
#include "@KIT@/solutions/01-addrclass/in6class.c"
