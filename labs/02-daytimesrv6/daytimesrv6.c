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
	(void)argc;
	(void)argv;
	(void)opt;
	return not_implemented("parse_args");
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
	(void)opt;
	return not_implemented("open_listener");
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
	(void)proto;
	(void)peer;
	not_implemented("log_peer");
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
	(void)listenfd;
	(void)log_peer;
	return not_implemented("serve_connection");
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
	(void)fd;
	return not_implemented("serve_datagram");
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
