/*
 * in6class.h - the IN6_IS_ADDR_* tests of RFC 3493 (section 12.4 of the
 * book), written as functions from the bit patterns of the address.
 *
 * Each returns 1 when the address is of that kind and 0 when it is not.
 * The system macros are removed and poisoned below: using one is a compile
 * error, so the classification has to come from the bits themselves.
 */
#ifndef IN6CLASS_H
#define IN6CLASS_H

#include <netinet/in.h>

int in6_is_addr_unspecified(const struct in6_addr *a);  /* ::          */
int in6_is_addr_loopback(const struct in6_addr *a);     /* ::1         */
int in6_is_addr_multicast(const struct in6_addr *a);    /* ff00::/8    */
int in6_is_addr_linklocal(const struct in6_addr *a);    /* fe80::/10   */
int in6_is_addr_sitelocal(const struct in6_addr *a);    /* fec0::/10   */
int in6_is_addr_v4mapped(const struct in6_addr *a);     /* ::ffff:0:0/96 */
int in6_is_addr_v4compat(const struct in6_addr *a);     /* ::/96 but :: and ::1 */
int in6_is_addr_mc_nodelocal(const struct in6_addr *a); /* multicast, scope 1 */
int in6_is_addr_mc_linklocal(const struct in6_addr *a); /* multicast, scope 2 */
int in6_is_addr_mc_sitelocal(const struct in6_addr *a); /* multicast, scope 5 */
int in6_is_addr_mc_orglocal(const struct in6_addr *a);  /* multicast, scope 8 */
int in6_is_addr_mc_global(const struct in6_addr *a);    /* multicast, scope e */

#undef IN6_IS_ADDR_UNSPECIFIED
#undef IN6_IS_ADDR_LOOPBACK
#undef IN6_IS_ADDR_MULTICAST
#undef IN6_IS_ADDR_LINKLOCAL
#undef IN6_IS_ADDR_SITELOCAL
#undef IN6_IS_ADDR_V4MAPPED
#undef IN6_IS_ADDR_V4COMPAT
#undef IN6_IS_ADDR_MC_NODELOCAL
#undef IN6_IS_ADDR_MC_LINKLOCAL
#undef IN6_IS_ADDR_MC_SITELOCAL
#undef IN6_IS_ADDR_MC_ORGLOCAL
#undef IN6_IS_ADDR_MC_GLOBAL
#pragma GCC poison IN6_IS_ADDR_UNSPECIFIED IN6_IS_ADDR_LOOPBACK
#pragma GCC poison IN6_IS_ADDR_MULTICAST IN6_IS_ADDR_LINKLOCAL
#pragma GCC poison IN6_IS_ADDR_SITELOCAL IN6_IS_ADDR_V4MAPPED
#pragma GCC poison IN6_IS_ADDR_V4COMPAT IN6_IS_ADDR_MC_NODELOCAL
#pragma GCC poison IN6_IS_ADDR_MC_LINKLOCAL IN6_IS_ADDR_MC_SITELOCAL
#pragma GCC poison IN6_IS_ADDR_MC_ORGLOCAL IN6_IS_ADDR_MC_GLOBAL

#endif
