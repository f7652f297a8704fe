/*
 * nat64cli - daytime client for an IPv4 literal through a NAT64 whose
 * prefix comes from ipv4only.arpa (RFC 7050), written apart from the
 * reference.
 *
 *   nat64cli IPV4-ADDRESS PORT
 *
 * Where the reference walks a table of RFC 6052 prefix lengths byte by
 * byte, this one handles /96 only, the length the lab's NAT64 uses, and
 * treats the IPv6 address as three 32-bit words of prefix and one of
 * IPv4 address.  It asks getaddrinfo for both families (AF_UNSPEC) and
 * keeps the IPv6 answers itself, and reads the reply with read(2) into
 * stdout's descriptor directly.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "labutil.h"

/* 192.0.0.170 and 192.0.0.171, in network byte order once htonl'd. */
#define WKA_FIRST 0xc00000aaU
#define WKA_SECOND 0xc00000abU

static void usage_exit(const char *why)
{
	if (why != NULL)
		err_msg("%s", why);
	else
		fprintf(stderr, "usage: nat64cli IPV4-ADDRESS PORT\n");
	exit(EXIT_USAGE);
}

/* The 96-bit prefix, as the first three 32-bit words of an IPv6 address. */
static int find_prefix(uint32_t words[3])
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM };
	struct addrinfo *list, *it;
	int rc, ok = 0;

	rc = getaddrinfo("ipv4only.arpa", NULL, &hints, &list);
	if (rc != 0) {
		err_msg("ipv4only.arpa: %s", rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return -1;
	}
	for (it = list; it != NULL; it = it->ai_next) {
		uint32_t w[4];

		if (it->ai_family != AF_INET6)
			continue;
		memcpy(w, ((struct sockaddr_in6 *)it->ai_addr)->sin6_addr.s6_addr, sizeof(w));
		if (w[3] == htonl(WKA_FIRST) || w[3] == htonl(WKA_SECOND)) {
			memcpy(words, w, 3 * sizeof(uint32_t));
			ok = 1;
			break;
		}
	}
	freeaddrinfo(list);
	if (!ok)
		err_msg("ipv4only.arpa: no NAT64 prefix in its answers");
	return ok ? 0 : -1;
}

static int relay_reply(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char chunk[256];

	for (;;) {
		ssize_t got;

		if (poll(&p, 1, 3000) <= 0) {
			err_msg("read: %s", strerror(ETIMEDOUT));
			return 1;
		}
		got = read(fd, chunk, sizeof(chunk));
		if (got == 0)
			return 0;
		if (got < 0) {
			err_msg("read: %s", strerror(errno));
			return 1;
		}
		if (write(STDOUT_FILENO, chunk, (size_t)got) != got)
			return 1;
	}
}

int main(int argc, char *argv[])
{
	struct sockaddr_in6 dst;
	struct in_addr v4;
	uint32_t words[3];
	char shown[INET6_ADDRSTRLEN];
	int port, fd, rc;

	set_progname(argv[0]);
	if (argc != 3 || argv[1][0] == '-')
		usage_exit(NULL);
	if (inet_pton(AF_INET, argv[1], &v4) != 1)
		usage_exit("the address must be an IPv4 literal");
	port = parse_port(argv[2]);
	if (port < 0)
		usage_exit("the port must be a number from 1 to 65535");

	if (find_prefix(words) < 0)
		return 1;
	memset(&dst, 0, sizeof(dst));
	dst.sin6_family = AF_INET6;
	dst.sin6_port = htons((uint16_t)port);
	memcpy(dst.sin6_addr.s6_addr, words, sizeof(words));
	inet_ntop(AF_INET6, &dst.sin6_addr, shown, sizeof(shown));
	fprintf(stderr, "NAT64 prefix %s/96\n", shown);
	memcpy(dst.sin6_addr.s6_addr + 12, &v4.s_addr, 4);
	inet_ntop(AF_INET6, &dst.sin6_addr, shown, sizeof(shown));

	fprintf(stderr, "Trying %s...\n", shown);
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (fd < 0) {
		err_msg("socket: %s", strerror(errno));
		return 1;
	}
	if (connect(fd, (struct sockaddr *)&dst, sizeof(dst)) < 0) {
		err_msg("%s: %s", shown, strerror(errno));
		close(fd);
		return 1;
	}
	fprintf(stderr, "Connected to %s\n", shown);
	rc = relay_reply(fd);
	close(fd);
	return rc;
}
