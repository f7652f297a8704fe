/*
 * classes.h - the twelve address classes of section 12.4, in the order of
 * in6class.h, as X(function suffix, macro suffix).
 */
#ifndef CLASSES_H
#define CLASSES_H

#include <netinet/in.h>

#define IN6_CLASSES(X) \
	X(unspecified, UNSPECIFIED) \
	X(loopback, LOOPBACK) \
	X(multicast, MULTICAST) \
	X(linklocal, LINKLOCAL) \
	X(sitelocal, SITELOCAL) \
	X(v4mapped, V4MAPPED) \
	X(v4compat, V4COMPAT) \
	X(mc_nodelocal, MC_NODELOCAL) \
	X(mc_linklocal, MC_LINKLOCAL) \
	X(mc_sitelocal, MC_SITELOCAL) \
	X(mc_orglocal, MC_ORGLOCAL) \
	X(mc_global, MC_GLOBAL)

/* What the system's IN6_IS_ADDR_* macro number `index` says of a: 1 or 0. */
int system_class(int index, const struct in6_addr *a);

#endif
