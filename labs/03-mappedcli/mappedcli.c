/*
 * mappedcli - a daytime client on IPv6 sockets only (UNP section 12.3,
 * with the trace of exercise 11.10).
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
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "labutil.h"

enum { REPLY_SECONDS = 3 };

struct options {
	int udp;		/* -u: SOCK_DGRAM instead of SOCK_STREAM */
	const char *host;	/* a name or a numeric address */
	const char *port;	/* checked by parse_port() */
};

/*
 * TODO(mappedcli): fill *opt from the command line "[-u] HOST PORT"
 * (getopt).  Anything else -- an unknown option, a missing or extra
 * argument, a port that parse_port() rejects -- prints one line on stderr
 * and exits with status EXIT_USAGE (err_usage() does both).  Returns 0.
 * getopt prints a line of its own about an unknown option unless you set
 * opterr = 0 before calling it: do, so that the line is yours alone.
 * Example: "mappedcli -u ds6srv 13" -> udp = 1, host "ds6srv", port "13".
 */
static int parse_args(int argc, char *argv[], struct options *opt)
{
	(void)argc;
	(void)argv;
	(void)opt;
	return not_implemented("parse_args");
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
 * TODO(mappedcli): make one attempt at the address of ai.  First print
 * "Trying ADDR..." on stderr (ADDR from sock_ntop_host), then open a
 * socket like ai's and connect it.  For TCP that is the attempt; for UDP
 * (udp != 0) the attempt also sends a datagram (one byte is enough) and
 * waits for the reply with await_reply(): a connected UDP socket is what
 * lets an ICMP "port unreachable" come back as ECONNREFUSED.
 * On success prints "Connected to ADDR (IPv4-mapped)" -- or "(IPv6)", as
 * IN6_IS_ADDR_V4MAPPED says -- and returns the socket.  On failure prints
 * "mappedcli: connect to ADDR: REASON" (err_msg, strerror), closes the
 * socket and returns -1 with errno still telling why.
 * Calls: socket, connect, send, await_reply, close.
 */
static int try_address(const struct addrinfo *ai, int udp)
{
	(void)ai;
	(void)udp;
	(void)await_reply;
	return not_implemented("try_address");
}

/*
 * TODO(mappedcli): look opt->host up with getaddrinfo -- family AF_INET6,
 * flags AI_V4MAPPED | AI_ALL (and AI_NUMERICSERV), socket type
 * SOCK_STREAM, or SOCK_DGRAM for opt->udp -- then try_address() each
 * result in the order getaddrinfo gave them, until one succeeds.  Returns
 * the socket that succeeded.  When the lookup fails prints
 * "mappedcli: HOST: " and gai_strerror's message; when every address
 * failed, "mappedcli: HOST: " and the last attempt's strerror; returns -1.
 * Frees what getaddrinfo returned in every case.
 * Example: ds4srv (A and AAAA records, an IPv4-only server) is tried at
 * 2001:db8:12::12, refused, then reached at ::ffff:192.0.2.12.
 */
static int connect_any(const struct options *opt)
{
	(void)opt;
	(void)try_address;
	return not_implemented("connect_any");
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
	if (parse_args(argc, argv, &opt) < 0)
		return 1;
	fd = connect_any(&opt);
	if (fd < 0)
		return 1;
	status = copy_reply(fd, opt.udp);
	close(fd);
	return status == 0 ? 0 : 1;
}
