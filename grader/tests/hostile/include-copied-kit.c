/*
 * Hostile: in6class.c is nothing but an #include of the reference
 * solution from another copy of the kit's solutions, outside the kit and
 * /tmp, where anyone may read it (@COPY@ is replaced by that folder: see
 * make_hostile).  The sandbox's file system is an allow-list that holds
 * no such folder: the build fails and the lab scores nothing.
 * Into: in6class.c
 * Mode: replace
 * Base: solutions
 * Expect-score: 0
 * Expect-build-fail
 */
#include "@COPY@/01-addrclass/in6class.c"
