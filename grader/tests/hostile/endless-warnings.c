/*
 * Hostile: a compile-time bomb: a million diagnostics.  The grader keeps
 * the first MiB of the build's output and stops the build there.
 * Into: in6class.c
 * Base: solutions
 * Expect-score: 0
 * Expect-build-fail
 */
#define W1 _Pragma("GCC warning \"hostile\"")
#define W10 W1 W1 W1 W1 W1 W1 W1 W1 W1 W1
#define W100 W10 W10 W10 W10 W10 W10 W10 W10 W10 W10
#define W1000 W100 W100 W100 W100 W100 W100 W100 W100 W100 W100
#define W10000 W1000 W1000 W1000 W1000 W1000 W1000 W1000 W1000 W1000 W1000
#define W100000 W10000 W10000 W10000 W10000 W10000 W10000 W10000 W10000 W10000 W10000
W100000 W100000 W100000 W100000 W100000 W100000 W100000 W100000 W100000 W100000
