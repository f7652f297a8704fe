/*
 * mappedcli - a daytime client on IPv6 sockets only (UNP section 12.3,
 * with the trace of exercise 11.10).
 *
 * Unlike the reference, the address loop is a do-while whose condition
 * steps to the next address only after a failure (no break, no reason
 * kept per turn), and a socket that cannot be opened counts as one more
 * failed attempt at that address.
 *
 *   mappedcli [-u] HOST PORT
 *
 * Asks getaddrinfo for AF_INET6 addresses with AI_V4MAPPED | AI_ALL: the
 * host's IPv6 addresses, then its IPv4 addresses as IPv4-mapped IPv6
 * addresses (::ffff:192.0.2.10).  Tries each in turn until one answers,
 * telling on stderr what it does, the way telnet does:
 *
 *   Trying 2001:db8:12::12...
 *   mappedcli: connect to 2001:db8:12::12: Connection refused
 *   Trying ::ffff:192.0.2.12...
 *   Connected to ::ffff:192.0.2.12 (IPv4-mapped)
 *
 * then copies the server's daytime text to stdout and exits 0.  -u sends a
 * datagram to each address instead, and waits REPLY_SECONDS at most for the
 * reply.  When no address works: "mappedcli: HOST: REASON" (the last
 * attempt's reason, or why the name did not resolve) and exit 1.  A bad
 * command line exits 2.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "labutil.h"

#define USAGE "[-u] HOST PORT"

enum { REPLY_SECONDS = 3 };

struct options {
	int udp;		/* -u: SOCK_DGRAM instead of SOCK_STREAM */
	const char *host;	/* a name or a numeric address */
	const char *port;	/* checked by parse_port() */
};

/* Fills *opt from "[-u] HOST PORT"; anything else exits EXIT_USAGE, one line. */
static void parse_args(int argc, char *argv[], struct options *opt)
{
	int c;

	opt->udp = 0;
	opterr = 0;
	while ((c = getopt(argc, argv, "u")) != -1) {
		if (c != 'u')
			err_usage(USAGE);
		opt->udp = 1;
	}
	if (argc - optind != 2 || parse_port(argv[optind + 1]) < 0)
		err_usage(USAGE);
	opt->host = argv[optind];
	opt->port = argv[optind + 1];
}

/*
 * Waits at most REPLY_SECONDS for a datagram on the connected UDP socket
 * fd, without reading it.  Returns 0 when one is there; -1 with errno set
 * otherwise: ETIMEDOUT, or the error an ICMP message left on the socket
 * (ECONNREFUSED: nothing listens on that port; EHOSTUNREACH...).
 */
static int await_reply(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char byte;

	switch (poll(&pfd, 1, REPLY_SECONDS * 1000)) {
	case -1:
		return -1;
	case 0:
		errno = ETIMEDOUT;
		return -1;
	}
	return recv(fd, &byte, 1, MSG_PEEK) < 0 ? -1 : 0;
}

/*
 * One attempt at ai's address: socket, connect and, for UDP, a datagram
 * and its reply.  Returns the socket, or -1 with errno telling why.
 */
static int try_address(const struct addrinfo *ai, int udp)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ai->ai_addr;
	char addr[INET6_ADDRSTRLEN];
	int fd, saved;

	if (sock_ntop_host(ai->ai_addr, addr, sizeof(addr)) == NULL)
		snprintf(addr, sizeof(addr), "?");
	fprintf(stderr, "Trying %s...\n", addr);
	fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
	if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
	    (!udp || (send(fd, "\n", 1, 0) == 1 && await_reply(fd) == 0))) {
		fprintf(stderr, "Connected to %s (%s)\n", addr,
			IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr) ? "IPv4-mapped" : "IPv6");
		return fd;
	}
	saved = errno;
	err_msg("connect to %s: %s", addr, strerror(saved));
	if (fd >= 0)
		close(fd);
	errno = saved;
	return -1;
}

/* Tries every address of opt->host in getaddrinfo's order; the socket or -1. */
static int connect_any(const struct options *opt)
{
	struct addrinfo hints, *res, *ai;
	int rc, fd, reason;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET6;
	hints.ai_flags = AI_V4MAPPED | AI_ALL | AI_NUMERICSERV;
	hints.ai_socktype = opt->udp ? SOCK_DGRAM : SOCK_STREAM;
	if ((rc = getaddrinfo(opt->host, opt->port, &hints, &res)) != 0) {
		err_msg("%s: %s", opt->host, gai_strerror(rc));
		return -1;
	}
	ai = res;
	do
		fd = try_address(ai, opt->udp);
	while (fd < 0 && (ai = ai->ai_next) != NULL);
	reason = errno;
	freeaddrinfo(res);
	if (fd < 0)
		err_msg("%s: %s", opt->host, strerror(reason));
	return fd;
}

/*
 * Copies the server's answer to stdout: for TCP everything until the
 * server closes, for UDP the one datagram that came.  Returns 0, or -1
 * after saying why.
 */
static int copy_reply(int fd, int udp)
{
	char buf[512];
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		fwrite(buf, 1, (size_t)n, stdout);
		if (udp)
			break;
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
	int fd, status;

	set_progname(argv[0]);
	parse_args(argc, argv, &opt);
	fd = connect_any(&opt);
	if (fd < 0)
		return 1;
	status = copy_reply(fd, opt.udp);
	close(fd);
	return status == 0 ? 0 : 1;
}
