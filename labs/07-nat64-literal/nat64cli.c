/*
 * nat64cli - a daytime client for an IPv4 literal on an IPv6-only host,
 * through a NAT64 whose prefix it discovers (RFC 7050, RFC 6052), TCP only.
 *
 *   nat64cli IPV4-ADDRESS PORT
 *
 * DNS64 synthesises AAAA records for names; for an address given as an
 * IPv4 literal there is nothing to look up.  So the client asks for the
 * AAAA records of ipv4only.arpa, a name that has only the A records
 * 192.0.0.170 and 192.0.0.171: a DNS64 answers with those addresses
 * embedded under its NAT64 prefix, and the client reads the prefix back
 * (the bytes around the embedded well-known address).  It then embeds
 * the literal under that prefix (RFC 6052 section 2.2) and connects to
 * the result over IPv6.  On stderr:
 *
 *   NAT64 prefix 2001:db8:12:0:64::/96
 *   Trying 2001:db8:12:0:64:0:c000:20a...
 *   Connected to 2001:db8:12:0:64:0:c000:20a
 *
 * then the server's daytime text on stdout, exit 0.  No prefix, or no
 * connection: "nat64cli: WHAT: REASON" and exit 1.  A bad command line
 * exits 2.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "labutil.h"

#define DISCOVERY_NAME "ipv4only.arpa"	/* RFC 7050 section 2.2 */

enum { REPLY_SECONDS = 3 };	/* for the daytime text, once connected */

/* The well-known IPv4 addresses of ipv4only.arpa (RFC 7050 section 2.2). */
static const unsigned char wka[2][4] = { { 192, 0, 0, 170 }, { 192, 0, 0, 171 } };

/* The prefix lengths RFC 6052 section 2.2 allows, longest first. */
static const int prefix_lengths[] = { 96, 64, 56, 48, 40, 32 };

struct options {
	struct in_addr addr;	/* the IPv4 literal */
	const char *text;	/* as given */
	const char *port;	/* checked by parse_port() */
};

struct nat64_prefix {
	struct in6_addr addr;	/* the prefix's bits, zero after them */
	int len;		/* in bits: one of prefix_lengths[] */
};

/* Byte i (0..3) of an IPv4 address embedded under a prefix of len bits
 * sits at this index of the IPv6 address: right after the prefix, but
 * never in byte 8 (bits 64 to 71, which RFC 6052 keeps zero). */
static int embedded_index(int len, int i)
{
	int at = len / 8 + i;

	return at >= 8 && len <= 64 ? at + 1 : at;
}

/*
 * TODO(nat64-literal): fill *opt from the command line "ADDRESS PORT".
 * ADDRESS must be an IPv4 literal in dotted-decimal form (inet_pton
 * AF_INET); a name, an IPv6 address, a missing or extra argument, an
 * option, or a port parse_port() rejects prints one line on stderr and
 * exits with status EXIT_USAGE.  Returns 0.
 * Example: "nat64cli 192.0.2.10 13" -> addr 192.0.2.10, port "13";
 * "nat64cli v4srv 13" -> one line on stderr, exit 2.
 * Calls: inet_pton, parse_port, err_usage, err_msg, exit.
 */
static int parse_args(int argc, char *argv[], struct options *opt)
{
	(void)argc;
	(void)argv;
	(void)opt;
	return not_implemented("parse_args");
}

/*
 * TODO(nat64-literal): RFC 6052 section 2.2: the IPv6 address that embeds
 * the IPv4 address v4 under prefix p: p's bits, then the four bytes of v4
 * (at the indexes embedded_index() gives), every other byte zero.  For
 * the lab's /96 prefixes, bytes 0-11 of p then bytes 12-15 from v4.
 * Writes it to *out; returns 0.
 * Example: 2001:db8:12:0:64::/96 and 192.0.2.10 ->
 * 2001:db8:12:0:64:0:c000:20a.
 * Calls: memcpy or memset, embedded_index.
 */
static int synthesize(const struct nat64_prefix *p, struct in_addr v4, struct in6_addr *out)
{
	(void)p;
	(void)v4;
	(void)out;
	(void)embedded_index;
	return not_implemented("synthesize");
}

/*
 * TODO(nat64-literal): RFC 7050 section 3: is a an AAAA answer for
 * ipv4only.arpa, that is, one of the well-known addresses wka[] embedded
 * under some prefix?  Try each length of prefix_lengths[] in turn (the
 * lab's NAT64 uses /96, which must work; the others are for the keen):
 * the four bytes at embedded_index() must be one of wka[].  Then the
 * prefix is a's first len bits, every later bit zero: fill *p, return 0.
 * Otherwise return -1 (an answer that embeds neither: not a DNS64's).
 * Example: 2001:db8:12:0:64:0:c000:aa -> 2001:db8:12:0:64::/96;
 * 2001:db8:12::53 -> -1.
 * Calls: memcmp, memset, embedded_index.
 */
static int prefix_of(const struct in6_addr *a, struct nat64_prefix *p)
{
	(void)a;
	(void)p;
	(void)wka;
	(void)prefix_lengths;
	return not_implemented("prefix_of");
}

/*
 * TODO(nat64-literal): discover the NAT64 prefix: getaddrinfo for the
 * IPv6 addresses of DISCOVERY_NAME (family AF_INET6, SOCK_STREAM, no
 * flags: no mapped addresses), and the first answer prefix_of() accepts
 * gives *p.  Prints "NAT64 prefix PREFIX/LEN" on stderr and returns 0.
 * When the lookup fails: "nat64cli: ipv4only.arpa: " and gai_strerror's
 * message; when no answer embeds a well-known address: "nat64cli:
 * ipv4only.arpa: no NAT64 prefix in its answers"; returns -1.  Frees what
 * getaddrinfo returned in every case.
 * Example: on v6cli with the lab's DNS64 -> "NAT64 prefix
 * 2001:db8:12:0:64::/96"; with the lab's plain resolver (no DNS64) ->
 * "nat64cli: ipv4only.arpa: No address associated with hostname", -1.
 * Calls: getaddrinfo, gai_strerror, prefix_of, inet_ntop, freeaddrinfo,
 * err_msg.
 */
static int discover_prefix(struct nat64_prefix *p)
{
	(void)p;
	(void)prefix_of;
	return not_implemented("discover_prefix");
}

/*
 * TODO(nat64-literal): connect over TCP to *addr, port (host byte order).
 * Prints "Trying ADDR..." on stderr, makes an AF_INET6 socket, connects;
 * on success prints "Connected to ADDR" and returns the socket.  On
 * failure closes the socket, prints "nat64cli: ADDR: " and strerror's
 * message, and returns -1.  (ADDR: inet_ntop's text of *addr.)
 * Example: 2001:db8:12:0:64:0:c000:20a, 1370 -> "Trying
 * 2001:db8:12:0:64:0:c000:20a...", "Connected to
 * 2001:db8:12:0:64:0:c000:20a".
 * Calls: inet_ntop, socket, connect, close, htons, err_msg.
 */
static int connect_to(const struct in6_addr *addr, int port)
{
	(void)addr;
	(void)port;
	return not_implemented("connect_to");
}

/*
 * Copies the server's answer to stdout, everything until the server
 * closes, waiting REPLY_SECONDS at most for each piece.  Returns 0, or
 * -1 after saying why.
 */
static int copy_reply(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[512];
	ssize_t n;

	for (;;) {
		if (poll(&pfd, 1, REPLY_SECONDS * 1000) == 0) {
			err_msg("read: %s", strerror(ETIMEDOUT));
			return -1;
		}
		n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			break;
		fwrite(buf, 1, (size_t)n, stdout);
	}
	if (n < 0) {
		err_msg("read: %s", strerror(errno));
		return -1;
	}
	return fflush(stdout) == 0 ? 0 : -1;
}

int main(int argc, char *argv[])
{
	struct options opt;
	struct nat64_prefix prefix;
	struct in6_addr target;
	int fd, status;

	set_progname(argv[0]);
	if (parse_args(argc, argv, &opt) < 0)
		return 1;
	if (discover_prefix(&prefix) < 0)
		return 1;
	if (synthesize(&prefix, opt.addr, &target) < 0)
		return 1;
	fd = connect_to(&target, parse_port(opt.port));
	if (fd < 0)
		return 1;
	status = copy_reply(fd);
	close(fd);
	return status == 0 ? 0 : 1;
}
