/*
 * Hostile: a compile-time hang: includes /dev/ptmx, which a compiler
 * reading it would wait on until the build's time limit (and /dev/tty,
 * /dev/console would read the grader's terminal).  The sandbox's /dev has
 * no terminal at all: the file is not there, the build fails at once and
 * the lab scores nothing.
 * Into: in6class.c
 * Base: solutions
 * Expect-score: 0
 * Expect-build-fail
 */
#include "/dev/ptmx"
