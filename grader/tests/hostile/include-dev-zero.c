/*
 * Hostile: a compile-time bomb: includes a file that never ends.  The
 * build is stopped by its limits (CPU, memory) and the lab scores nothing.
 * Into: in6class.c
 * Base: solutions
 * Expect-score: 0
 * Expect-build-fail
 */
#include "/dev/zero"
