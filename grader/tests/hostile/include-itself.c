/*
 * Hostile: a compile-time bomb: the file includes itself, 200 levels deep
 * before the compiler gives up.
 * Into: in6class.c
 * Base: solutions
 * Expect-score: 0
 * Expect-build-fail
 */
#include __FILE__
