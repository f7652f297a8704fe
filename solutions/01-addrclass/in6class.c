/*
 * in6class.c - the twelve IN6_IS_ADDR_* tests, from the bit patterns.
 *
 * An address is 16 bytes, a->s6_addr[0] first (most significant).  Write
 * each function from the prefix in its comment; the system macros are
 * poisoned (see in6class.h).  Return 1 or 0, nothing else.
 */
#include "in6class.h"

#include "labutil.h"

/* BEGIN SOLUTION */
/* Whether bytes [from, to) of the address are all zero. */
static int zero_bytes(const struct in6_addr *a, int from, int to)
{
	for (int i = from; i < to; i++)
		if (a->s6_addr[i] != 0)
			return 0;
	return 1;
}

/* The scope of a multicast address: the low 4 bits of its second byte. */
static int mc_scope(const struct in6_addr *a)
{
	return a->s6_addr[1] & 0x0f;
}
/* END SOLUTION */

/* TODO(addrclass): all 128 bits zero (::). */
int in6_is_addr_unspecified(const struct in6_addr *a)
{
	/* BEGIN SOLUTION */
	return zero_bytes(a, 0, 16);
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)a;
	return not_implemented(__func__);
	END SKELETON */
}

/* TODO(addrclass): 127 zero bits, then a one (::1). */
int in6_is_addr_loopback(const struct in6_addr *a)
{
	/* BEGIN SOLUTION */
	return zero_bytes(a, 0, 15) && a->s6_addr[15] == 1;
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)a;
	return not_implemented(__func__);
	END SKELETON */
}

/* TODO(addrclass): the first 8 bits are all ones (ff00::/8). */
int in6_is_addr_multicast(const struct in6_addr *a)
{
	/* BEGIN SOLUTION */
	return a->s6_addr[0] == 0xff;
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)a;
	return not_implemented(__func__);
	END SKELETON */
}

/*
 * TODO(addrclass): the first 10 bits are 1111 1110 10 (fe80::/10): fe80::
 * through febf:ffff:...:ffff.  Mask the second byte.
 */
int in6_is_addr_linklocal(const struct in6_addr *a)
{
	/* BEGIN SOLUTION */
	return a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0x80;
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)a;
	return not_implemented(__func__);
	END SKELETON */
}

/* TODO(addrclass): the first 10 bits are 1111 1110 11 (fec0::/10, deprecated). */
int in6_is_addr_sitelocal(const struct in6_addr *a)
{
	/* BEGIN SOLUTION */
	return a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0xc0;
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)a;
	return not_implemented(__func__);
	END SKELETON */
}

/* TODO(addrclass): 80 zero bits, 16 one bits, then the IPv4 address (::ffff:a.b.c.d). */
int in6_is_addr_v4mapped(const struct in6_addr *a)
{
	/* BEGIN SOLUTION */
	return zero_bytes(a, 0, 10) && a->s6_addr[10] == 0xff && a->s6_addr[11] == 0xff;
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)a;
	return not_implemented(__func__);
	END SKELETON */
}

/*
 * TODO(addrclass): 96 zero bits, then an IPv4 address (::a.b.c.d, deprecated),
 * except :: and ::1, which are not IPv4-compatible: the last 32 bits,
 * read as a number, are greater than 1.
 */
int in6_is_addr_v4compat(const struct in6_addr *a)
{
	/* BEGIN SOLUTION */
	return zero_bytes(a, 0, 12) && !(zero_bytes(a, 12, 15) && a->s6_addr[15] <= 1);
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)a;
	return not_implemented(__func__);
	END SKELETON */
}

/*
 * TODO(addrclass): the five multicast scopes.  A multicast address is
 * ff<flags><scope>::/16: the scope is the low 4 bits of the second byte
 * (ff01:: and ff11:: are both node-local).  Scopes: 1 node (interface)
 * local, 2 link local, 5 site local, 8 organization local, e global.
 */
int in6_is_addr_mc_nodelocal(const struct in6_addr *a)
{
	/* BEGIN SOLUTION */
	return in6_is_addr_multicast(a) && mc_scope(a) == 0x1;
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)a;
	return not_implemented(__func__);
	END SKELETON */
}

int in6_is_addr_mc_linklocal(const struct in6_addr *a)
{
	/* BEGIN SOLUTION */
	return in6_is_addr_multicast(a) && mc_scope(a) == 0x2;
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)a;
	return not_implemented(__func__);
	END SKELETON */
}

int in6_is_addr_mc_sitelocal(const struct in6_addr *a)
{
	/* BEGIN SOLUTION */
	return in6_is_addr_multicast(a) && mc_scope(a) == 0x5;
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)a;
	return not_implemented(__func__);
	END SKELETON */
}

int in6_is_addr_mc_orglocal(const struct in6_addr *a)
{
	/* BEGIN SOLUTION */
	return in6_is_addr_multicast(a) && mc_scope(a) == 0x8;
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)a;
	return not_implemented(__func__);
	END SKELETON */
}

int in6_is_addr_mc_global(const struct in6_addr *a)
{
	/* BEGIN SOLUTION */
	return in6_is_addr_multicast(a) && mc_scope(a) == 0xe;
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)a;
	return not_implemented(__func__);
	END SKELETON */
}
