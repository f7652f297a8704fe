/*
 * in6class.c - the twelve IN6_IS_ADDR_* tests, from the bit patterns.
 *
 * Unlike the reference, every test is one row of a single table of
 * mask/value rules: an address holds when (byte & mask) == value for all
 * 16 bytes.  Only v4compat needs more than its row (it excludes :: and ::1).
 */
#include "in6class.h"

#include <stdint.h>

enum rule {
	UNSPECIFIED, LOOPBACK, MULTICAST, LINKLOCAL, SITELOCAL, V4MAPPED,
	ZERO96, MC_NODE, MC_LINK, MC_SITE, MC_ORG, MC_GLOBAL
};

#define ALL_ONES { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, \
		   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }
#define FIRST_96 { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, \
		   0xff, 0xff, 0xff, 0xff, 0xff, 0xff }
/* ff<flags><scope>::/16 with the flags masked off. */
#define SCOPE(s) { { 0xff, 0x0f }, { 0xff, (s) } }

static const struct {
	uint8_t mask[16];
	uint8_t value[16];
} rules[] = {
	[UNSPECIFIED] = { ALL_ONES, { 0 } },			/* ::          */
	[LOOPBACK]    = { ALL_ONES, { [15] = 1 } },		/* ::1         */
	[MULTICAST]   = { { 0xff }, { 0xff } },			/* ff00::/8    */
	[LINKLOCAL]   = { { 0xff, 0xc0 }, { 0xfe, 0x80 } },	/* fe80::/10   */
	[SITELOCAL]   = { { 0xff, 0xc0 }, { 0xfe, 0xc0 } },	/* fec0::/10   */
	[V4MAPPED]    = { FIRST_96, { [10] = 0xff, [11] = 0xff } }, /* ::ffff:0:0/96 */
	[ZERO96]      = { FIRST_96, { 0 } },			/* ::/96       */
	[MC_NODE]     = SCOPE(0x01),
	[MC_LINK]     = SCOPE(0x02),
	[MC_SITE]     = SCOPE(0x05),
	[MC_ORG]      = SCOPE(0x08),
	[MC_GLOBAL]   = SCOPE(0x0e),
};

static int holds(const struct in6_addr *a, enum rule r)
{
	int i;

	for (i = 0; i < 16; i++)
		if ((a->s6_addr[i] & rules[r].mask[i]) != rules[r].value[i])
			return 0;
	return 1;
}

int in6_is_addr_unspecified(const struct in6_addr *a)
{
	return holds(a, UNSPECIFIED);
}

int in6_is_addr_loopback(const struct in6_addr *a)
{
	return holds(a, LOOPBACK);
}

int in6_is_addr_multicast(const struct in6_addr *a)
{
	return holds(a, MULTICAST);
}

int in6_is_addr_linklocal(const struct in6_addr *a)
{
	return holds(a, LINKLOCAL);
}

int in6_is_addr_sitelocal(const struct in6_addr *a)
{
	return holds(a, SITELOCAL);
}

int in6_is_addr_v4mapped(const struct in6_addr *a)
{
	return holds(a, V4MAPPED);
}

/* ::/96 except :: and ::1: the last 32 bits, as a number, are above 1. */
int in6_is_addr_v4compat(const struct in6_addr *a)
{
	return holds(a, ZERO96) && !holds(a, UNSPECIFIED) && !holds(a, LOOPBACK);
}

int in6_is_addr_mc_nodelocal(const struct in6_addr *a)
{
	return holds(a, MC_NODE);
}

int in6_is_addr_mc_linklocal(const struct in6_addr *a)
{
	return holds(a, MC_LINK);
}

int in6_is_addr_mc_sitelocal(const struct in6_addr *a)
{
	return holds(a, MC_SITE);
}

int in6_is_addr_mc_orglocal(const struct in6_addr *a)
{
	return holds(a, MC_ORG);
}

int in6_is_addr_mc_global(const struct in6_addr *a)
{
	return holds(a, MC_GLOBAL);
}
