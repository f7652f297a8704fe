/*
 * daytimecli4 - the IPv4 daytime client of Figure 12.5 (provided, complete).
 *
 *   daytimecli4 [-u] HOST PORT
 *
 * Asks getaddrinfo for AF_INET addresses only, so it never uses IPv6, and
 * tries each address in turn with the same trace on stderr as mappedcli:
 *
 *   Trying 192.0.2.12...
 *   Connected to 192.0.2.12 (IPv4)
 *
 * then copies the daytime text to stdout and exits 0.  -u sends a datagram
 * and waits REPLY_SECONDS at most for the reply.  When nothing works:
 * "daytimecli4: HOST: REASON" and exit 1; a bad command line exits 2.
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

enum { REPLY_SECONDS = 3 };

/* One attempt at ai's address: returns a socket the answer waits on, or -1. */
static int try_address(const struct addrinfo *ai)
{
	struct pollfd pfd = { .events = POLLIN };
	char addr[INET_ADDRSTRLEN], byte;
	int fd, saved;

	if (sock_ntop_host(ai->ai_addr, addr, sizeof(addr)) == NULL)
		snprintf(addr, sizeof(addr), "?");
	fprintf(stderr, "Trying %s...\n", addr);
	if ((fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol)) < 0)
		err_sys("socket");
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0)
		goto fail;
	if (ai->ai_socktype == SOCK_DGRAM) {
		/* Connected, so that an ICMP port unreachable reads as ECONNREFUSED. */
		if (send(fd, "\n", 1, 0) < 0)
			goto fail;
		pfd.fd = fd;
		if (poll(&pfd, 1, REPLY_SECONDS * 1000) == 0) {
			errno = ETIMEDOUT;
			goto fail;
		}
		if (recv(fd, &byte, 1, MSG_PEEK) < 0)
			goto fail;
	}
	fprintf(stderr, "Connected to %s (IPv4)\n", addr);
	return fd;
fail:
	saved = errno;
	err_msg("connect to %s: %s", addr, strerror(saved));
	close(fd);
	errno = saved;
	return -1;
}

int main(int argc, char *argv[])
{
	struct addrinfo hints, *res, *ai;
	int c, rc, fd = -1, reason = 0, udp = 0;
	char buf[512];
	ssize_t n;

	set_progname(argv[0]);
	opterr = 0;
	while ((c = getopt(argc, argv, "u")) != -1) {
		if (c != 'u')
			err_usage("[-u] HOST PORT");
		udp = 1;
	}
	if (argc - optind != 2)
		err_usage("[-u] HOST PORT");
	if (parse_port(argv[optind + 1]) < 0) {
		err_msg("bad port '%s': a number from 1 to 65535", argv[optind + 1]);
		exit(EXIT_USAGE);
	}

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = udp ? SOCK_DGRAM : SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	rc = getaddrinfo(argv[optind], argv[optind + 1], &hints, &res);
	if (rc != 0)
		err_quit("%s: %s", argv[optind], gai_strerror(rc));
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = try_address(ai)) >= 0)
			break;
		reason = errno;
	}
	freeaddrinfo(res);
	if (fd < 0)
		err_quit("%s: %s", argv[optind], strerror(reason));

	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		fwrite(buf, 1, (size_t)n, stdout);
		if (udp)
			break;
	}
	if (n < 0)
		err_sys("read");
	close(fd);
	return fflush(stdout) == 0 ? 0 : 1;
}
