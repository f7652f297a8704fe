/*
 * Hostile: functions not written (the handout's), and a constructor that
 * prints the lines of a passing check for all twelve, in every program it
 * is linked into, the grader's check-worker included: on its own output
 * and on its parent's (the judge's), through /proc.  The judge holds no
 * student code and cannot be reached that way, so nothing is earned.
 * Into: in6class.c
 * Base: labs
 * Expect-score: 0
 * Expect-fail: in6_is_addr_unspecified agrees with IN6_IS_ADDR_UNSPECIFIED on boundary and random addresses
 * Expect-fail: in6_is_addr_loopback agrees with IN6_IS_ADDR_LOOPBACK on boundary and random addresses
 * Expect-fail: in6_is_addr_multicast agrees with IN6_IS_ADDR_MULTICAST on boundary and random addresses
 * Expect-fail: in6_is_addr_linklocal agrees with IN6_IS_ADDR_LINKLOCAL on boundary and random addresses
 * Expect-fail: in6_is_addr_sitelocal agrees with IN6_IS_ADDR_SITELOCAL on boundary and random addresses
 * Expect-fail: in6_is_addr_v4mapped agrees with IN6_IS_ADDR_V4MAPPED on boundary and random addresses
 * Expect-fail: in6_is_addr_v4compat agrees with IN6_IS_ADDR_V4COMPAT on boundary and random addresses
 * Expect-fail: in6_is_addr_mc_nodelocal agrees with IN6_IS_ADDR_MC_NODELOCAL on boundary and random addresses
 * Expect-fail: in6_is_addr_mc_linklocal agrees with IN6_IS_ADDR_MC_LINKLOCAL on boundary and random addresses
 * Expect-fail: in6_is_addr_mc_sitelocal agrees with IN6_IS_ADDR_MC_SITELOCAL on boundary and random addresses
 * Expect-fail: in6_is_addr_mc_orglocal agrees with IN6_IS_ADDR_MC_ORGLOCAL on boundary and random addresses
 * Expect-fail: in6_is_addr_mc_global agrees with IN6_IS_ADDR_MC_GLOBAL on boundary and random addresses
 * Expect-fail: addrclass names every class that holds, in order, for each address on its command line
 * Expect-fail: addrclass with no arguments classifies one address per line of its standard input
 * Expect-fail: addrclass rejects text that is not an IPv6 address, still classifies the rest, and exits 2
 * Expect-fail: addrclass reads a long standard input, long lines and CRLF endings included
 * Expect-fail: every addrclass run is clean under valgrind
 */
#include <stdio.h>
#include <unistd.h>

__attribute__((constructor)) static void hostile(void)
{
	static const char *const names[] = {
		"unspecified", "loopback", "multicast", "linklocal", "sitelocal", "v4mapped",
		"v4compat", "mc_nodelocal", "mc_linklocal", "mc_sitelocal", "mc_orglocal",
		"mc_global",
	};

	char parent[64];

	snprintf(parent, sizeof parent, "/proc/%d/fd/1", (int)getppid());
	FILE *judge = fopen(parent, "w");

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		printf("in6_is_addr_%s: ok (595 boundary + 100000 random addresses)\n", names[i]);
		if (judge != NULL)
			fprintf(judge, "in6_is_addr_%s: ok (595 boundary + 100000 random addresses)\n",
				names[i]);
	}
	if (judge != NULL)
		fclose(judge);
	fflush(stdout);
}
