/*
 * daytimesrv6 - a daytime server on an IPv6 socket (UNP section 12.2).
 *
 * Unlike the reference, main() waits with poll() on two descriptors, the
 * listening socket and a signalfd for SIGTERM and SIGINT, so that a stop
 * signal is one more thing that becomes readable; no handler runs.
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
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daytime.h"
#include "labutil.h"

#define USAGE "[-6] [-u] PORT"

struct options {
	int v6only;	/* -6: set IPV6_V6ONLY */
	int udp;	/* -u: SOCK_DGRAM instead of SOCK_STREAM */
	int port;	/* 1..65535 */
};

/* Fills *opt from "[-6] [-u] PORT"; anything else exits EXIT_USAGE, one line. */
static void parse_args(int argc, char *argv[], struct options *opt)
{
	int c;

	memset(opt, 0, sizeof(*opt));
	opterr = 0;
	while ((c = getopt(argc, argv, "6u")) != -1) {
		if (c == '6')
			opt->v6only = 1;
		else if (c == 'u')
			opt->udp = 1;
		else
			err_usage(USAGE);
	}
	if (argc - optind != 1 || (opt->port = parse_port(argv[optind])) < 0)
		err_usage(USAGE);
}

/*
 * Blocks SIGTERM and SIGINT and returns a descriptor that becomes readable
 * when one of them comes; ignores SIGPIPE, so that a client that goes away
 * early cannot kill the server.
 */
static int open_stop_signals(void)
{
	sigset_t stops;
	int fd;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&stops);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGINT);
	sigprocmask(SIG_BLOCK, &stops, NULL);
	if ((fd = signalfd(-1, &stops, SFD_CLOEXEC)) < 0)
		err_msg("signalfd: %s", strerror(errno));
	return fd;
}

static int open_listener(const struct options *opt)
{
	struct sockaddr_in6 addr;
	int fd, on = 1;
	const char *what;

	if ((fd = socket(AF_INET6, opt->udp ? SOCK_DGRAM : SOCK_STREAM, 0)) < 0) {
		err_msg("socket: %s", strerror(errno));
		return -1;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sin6_family = AF_INET6;
	addr.sin6_addr = in6addr_any;
	addr.sin6_port = htons((in_port_t)opt->port);
	if (opt->v6only &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) < 0)
		what = "IPV6_V6ONLY";
	else if (!opt->udp &&
		 setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0)
		what = "SO_REUSEADDR";
	else if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		what = "bind port";
	else if (!opt->udp && listen(fd, 16) < 0)
		what = "listen on port";
	else
		return fd;
	err_msg("%s %d: %s", what, opt->port, strerror(errno));
	close(fd);
	return -1;
}

static void log_peer(const char *proto, const struct sockaddr_in6 *peer)
{
	char text[INET6_ADDRSTRLEN];

	if (sock_ntop_host((const struct sockaddr *)peer, text, sizeof(text)) == NULL)
		snprintf(text, sizeof(text), "?");
	printf("%s from %s port %d (%s)\n", proto, text,
	       sock_port((const struct sockaddr *)peer),
	       IN6_IS_ADDR_V4MAPPED(&peer->sin6_addr) ? "IPv4-mapped" : "IPv6");
	fflush(stdout);
}

/*
 * Reports the call that failed; returns 0 if the server can go on, -1 if
 * the error is about its own socket or its lack of descriptors (every
 * later call would fail the same way).
 */
static int failed(const char *call)
{
	int errnum = errno;

	err_msg("%s: %s", call, strerror(errnum));
	switch (errnum) {
	case EBADF:
	case EFAULT:
	case EINVAL:
	case ENOTSOCK:
	case EOPNOTSUPP:
	case EMFILE:
	case ENFILE:
		return -1;
	}
	return 0;
}

/* Serves the TCP client waiting on listenfd; -1 if the server must stop. */
static int serve_connection(int listenfd)
{
	struct sockaddr_in6 peer;
	socklen_t len = sizeof(peer);
	char line[64];
	int conn;

	if ((conn = accept(listenfd, (struct sockaddr *)&peer, &len)) < 0)
		return failed("accept");
	log_peer("tcp", &peer);
	daytime_text(line, sizeof(line));
	if (write(conn, line, strlen(line)) < 0)
		err_msg("write: %s", strerror(errno));
	close(conn);
	return 0;
}

/* Answers the datagram waiting on fd; -1 if the server must stop. */
static int serve_datagram(int fd)
{
	struct sockaddr_in6 peer;
	socklen_t len = sizeof(peer);
	char buf[512], line[64];

	if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &len) < 0)
		return failed("recvfrom");
	log_peer("udp", &peer);
	daytime_text(line, sizeof(line));
	if (sendto(fd, line, strlen(line), 0, (struct sockaddr *)&peer, len) < 0)
		return failed("sendto");
	return 0;
}

int main(int argc, char *argv[])
{
	struct options opt;
	struct pollfd fds[2];	/* the server's socket, then the stop signals */
	int status = 0;

	set_progname(argv[0]);
	parse_args(argc, argv, &opt);
	if ((fds[1].fd = open_stop_signals()) < 0)
		return 1;
	if ((fds[0].fd = open_listener(&opt)) < 0) {
		close(fds[1].fd);
		return 1;
	}
	fds[0].events = fds[1].events = POLLIN;
	while (status == 0) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			err_msg("poll: %s", strerror(errno));
			status = -1;
		} else if (fds[1].revents != 0) {
			break;
		} else if (fds[0].revents != 0) {
			status = opt.udp ? serve_datagram(fds[0].fd) : serve_connection(fds[0].fd);
		}
	}
	close(fds[0].fd);
	close(fds[1].fd);
	return status == 0 ? 0 : 1;
}
