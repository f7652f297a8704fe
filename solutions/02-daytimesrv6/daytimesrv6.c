/*
 * daytimesrv6 - a daytime server on an IPv6 socket (UNP section 12.2).
 *
 *   daytimesrv6 [-6] [-u] PORT
 *
 * Listens on the IPv6 wildcard address (in6addr_any), so that on a
 * dual-stack host it serves IPv6 clients and, through IPv4-mapped IPv6
 * addresses, IPv4 clients too.  -6 sets IPV6_V6ONLY: IPv4 clients are then
 * refused.  -u serves UDP datagrams instead of TCP connections.
 *
 * Each client gets the time as one line ("Tue Nov 26 10:00:00 2024\r\n"),
 * and stdout gets one line per client:
 *
 *   tcp from ::ffff:192.0.2.20 port 40112 (IPv4-mapped)
 *   udp from 2001:db8:12::21 port 51000 (IPv6)
 *
 * Serves clients one after another until SIGTERM (or SIGINT), then closes
 * its socket and exits 0.  A bad command line exits 2; a port already in
 * use (or any other failure to set up) exits 1.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daytime.h"
#include "labutil.h"

struct options {
	int v6only;	/* -6: set IPV6_V6ONLY */
	int udp;	/* -u: SOCK_DGRAM instead of SOCK_STREAM */
	int port;	/* 1..65535 */
};

/*
 * TODO(daytimesrv6): fill *opt from the command line "[-6] [-u] PORT"
 * (getopt).  Anything else -- an unknown option, no port or one too many,
 * a port that parse_port() rejects -- prints one line on stderr and exits
 * with status EXIT_USAGE (err_usage() does both).  Returns 0.  getopt
 * prints a line of its own about an unknown option unless you set
 * opterr = 0 before calling it: do, so that the line is yours alone.
 * Example: "daytimesrv6 -u 1313" -> udp = 1, v6only = 0, port = 1313.
 */
static int parse_args(int argc, char *argv[], struct options *opt)
{
	/* BEGIN SOLUTION */
	int c;

	memset(opt, 0, sizeof(*opt));
	opterr = 0;
	while ((c = getopt(argc, argv, "6u")) != -1) {
		switch (c) {
		case '6':
			opt->v6only = 1;
			break;
		case 'u':
			opt->udp = 1;
			break;
		default:
			err_usage("[-6] [-u] PORT");
		}
	}
	if (argc - optind != 1)
		err_usage("[-6] [-u] PORT");
	opt->port = parse_port(argv[optind]);
	if (opt->port < 0) {
		err_msg("bad port '%s': a number from 1 to 65535", argv[optind]);
		exit(EXIT_USAGE);
	}
	return 0;
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)argc;
	(void)argv;
	(void)opt;
	return not_implemented("parse_args");
	END SKELETON */
}

/*
 * TODO(daytimesrv6): return a socket ready to serve: an AF_INET6 socket of
 * type SOCK_STREAM (or SOCK_DGRAM for opt->udp) bound to in6addr_any and
 * opt->port; with opt->v6only, set the IPV6_V6ONLY option before bind.
 * A TCP socket also gets SO_REUSEADDR and listen().  On failure prints why
 * (err_msg, with strerror(errno): "bind port 13: Address already in use"),
 * closes what it opened and returns -1.
 * Calls: socket, setsockopt, bind, listen.
 */
static int open_listener(const struct options *opt)
{
	/* BEGIN SOLUTION */
	struct sockaddr_in6 addr;
	int fd, on = 1;

	fd = socket(AF_INET6, opt->udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd < 0) {
		err_msg("socket: %s", strerror(errno));
		return -1;
	}
	if (opt->v6only && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) < 0) {
		err_msg("IPV6_V6ONLY: %s", strerror(errno));
		goto fail;
	}
	if (!opt->udp && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0) {
		err_msg("SO_REUSEADDR: %s", strerror(errno));
		goto fail;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sin6_family = AF_INET6;
	addr.sin6_addr = in6addr_any;
	addr.sin6_port = htons((in_port_t)opt->port);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		err_msg("bind port %d: %s", opt->port, strerror(errno));
		goto fail;
	}
	if (!opt->udp && listen(fd, 16) < 0) {
		err_msg("listen: %s", strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)opt;
	return not_implemented("open_listener");
	END SKELETON */
}

/*
 * TODO(daytimesrv6): print on stdout, and flush, one line about a client:
 * "PROTO from ADDR port N (KIND)", PROTO being "tcp" or "udp", ADDR the
 * peer's address as text (sock_ntop_host) and KIND "IPv4-mapped" when
 * IN6_IS_ADDR_V4MAPPED says so, "IPv6" otherwise.
 * Example: "tcp from ::ffff:192.0.2.20 port 40112 (IPv4-mapped)".
 */
static void log_peer(const char *proto, const struct sockaddr_in6 *peer)
{
	/* BEGIN SOLUTION */
	char text[INET6_ADDRSTRLEN];

	if (sock_ntop_host((const struct sockaddr *)peer, text, sizeof(text)) == NULL)
		snprintf(text, sizeof(text), "?");
	printf("%s from %s port %d (%s)\n", proto, text,
	       sock_port((const struct sockaddr *)peer),
	       IN6_IS_ADDR_V4MAPPED(&peer->sin6_addr) ? "IPv4-mapped" : "IPv6");
	fflush(stdout);
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)proto;
	(void)peer;
	not_implemented("log_peer");
	END SKELETON */
}

/*
 * TODO(daytimesrv6): serve one TCP client waiting on listenfd: accept it
 * (into a struct sockaddr_in6), log_peer("tcp", ...), send it the
 * daytime_text() and close the connection.  A failure that concerns only
 * this client (the client is gone, say) is reported with err_msg and the
 * function returns 0, so that the server carries on; returns -1 only when
 * the server cannot go on.
 * Calls: accept, write, close.
 */
static int serve_connection(int listenfd)
{
	/* BEGIN SOLUTION */
	struct sockaddr_in6 peer;
	socklen_t len = sizeof(peer);
	char line[64];
	int fd;

	fd = accept(listenfd, (struct sockaddr *)&peer, &len);
	if (fd < 0) {
		err_msg("accept: %s", strerror(errno));
		return errno == EMFILE || errno == ENFILE || errno == ENOMEM ? -1 : 0;
	}
	log_peer("tcp", &peer);
	daytime_text(line, sizeof(line));
	if (write(fd, line, strlen(line)) < 0)
		err_msg("write: %s", strerror(errno));
	close(fd);
	return 0;
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)listenfd;
	(void)log_peer;
	return not_implemented("serve_connection");
	END SKELETON */
}

/*
 * TODO(daytimesrv6): serve one datagram waiting on fd: receive it (its
 * content does not matter) with the sender's address, log_peer("udp",
 * ...), and send the daytime_text() back to the sender.  Same return
 * values as serve_connection.
 * Calls: recvfrom, sendto.
 */
static int serve_datagram(int fd)
{
	/* BEGIN SOLUTION */
	struct sockaddr_in6 peer;
	socklen_t len = sizeof(peer);
	char buf[512], line[64];

	if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &len) < 0) {
		err_msg("recvfrom: %s", strerror(errno));
		return 0;
	}
	log_peer("udp", &peer);
	daytime_text(line, sizeof(line));
	if (sendto(fd, line, strlen(line), 0, (struct sockaddr *)&peer, len) < 0)
		err_msg("sendto: %s", strerror(errno));
	return 0;
	/* END SOLUTION */
	/* BEGIN SKELETON
	(void)fd;
	return not_implemented("serve_datagram");
	END SKELETON */
}

int main(int argc, char *argv[])
{
	struct options opt;
	sigset_t waitmask;
	int fd, status = 0;

	set_progname(argv[0]);
	if (parse_args(argc, argv, &opt) < 0)
		return 1;
	catch_stop_signals(&waitmask);
	fd = open_listener(&opt);
	if (fd < 0)
		return 1;
	while (status == 0 && wait_readable(fd, &waitmask))
		status = opt.udp ? serve_datagram(fd) : serve_connection(fd);
	close(fd);
	return status == 0 ? 0 : 1;
}
