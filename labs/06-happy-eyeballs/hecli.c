/*
 * hecli - a daytime client that races IPv6 against IPv4 (Happy Eyeballs,
 * RFC 8305), TCP only.
 *
 *   hecli HOST PORT
 *
 * Asks getaddrinfo for every address of HOST, of both families
 * (AF_UNSPEC), puts them in the order of RFC 8305 section 4 (IPv6 first,
 * then the families in turn), and starts a non-blocking connect to the
 * first.  The next address is tried when ATTEMPT_DELAY_MS (the Connection
 * Attempt Delay, 250 ms) has passed without a connection, or at once when
 * an attempt fails; earlier attempts keep running.  The first connect to
 * succeed wins, every other attempt is closed.  On stderr, each line with
 * the seconds since the race began:
 *
 *   0.000 Trying 2001:db8:12::13...
 *   0.250 Trying 192.0.2.13...
 *   0.251 Connected to 192.0.2.13
 *
 * then the server's daytime text on stdout, exit 0.  When nothing has
 * connected GIVE_UP_MS after the last attempt began, or every attempt
 * failed: "hecli: HOST: REASON" and exit 1.  A bad command line exits 2.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "labutil.h"

enum {
	ATTEMPT_DELAY_MS = 250,	/* RFC 8305's Connection Attempt Delay */
	GIVE_UP_MS = 3000,	/* after the last attempt began */
	MAX_ATTEMPTS = 16,	/* addresses tried at most */
	REPLY_SECONDS = 3	/* for the daytime text, once connected */
};

struct options {
	const char *host;	/* a name or a numeric address */
	const char *port;	/* checked by parse_port() */
};

static struct timespec race_start;

/* Milliseconds since start_clock(), on the monotonic clock. */
static long elapsed_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - race_start.tv_sec) * 1000
	       + (now.tv_nsec - race_start.tv_nsec) / 1000000;
}

static void start_clock(void)
{
	clock_gettime(CLOCK_MONOTONIC, &race_start);
}

/* One trace line on stderr: "S.mmm " (seconds since start_clock), then
 * the message, then a newline. */
__attribute__((format(printf, 1, 2)))
static void trace(const char *fmt, ...)
{
	long ms = elapsed_ms();
	va_list ap;

	fprintf(stderr, "%ld.%03ld ", ms / 1000, ms % 1000);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * TODO(happy-eyeballs): fill *opt from the command line "HOST PORT".
 * Anything else -- an option, a missing or extra argument, a port that
 * parse_port() rejects -- prints one line on stderr and exits with status
 * EXIT_USAGE (err_usage() does both).  Returns 0.
 * Example: "hecli ds6srv 13" -> host "ds6srv", port "13".
 * Calls: parse_port, err_usage (getopt with opterr = 0 if you like).
 */
static int parse_args(int argc, char *argv[], struct options *opt)
{
	(void)argc;
	(void)argv;
	(void)opt;
	return not_implemented("parse_args");
}

/*
 * TODO(happy-eyeballs): put the addresses of the list res (as getaddrinfo
 * returned it) in the order RFC 8305 section 4 asks for: the first IPv6
 * address, then the first IPv4 one, then the second IPv6, the second
 * IPv4, and so on; when one family runs out, the rest of the other in
 * its own order.  Writes at most max pointers into order[]; returns how
 * many it wrote.  Families other than AF_INET6 and AF_INET are left out.
 * Example: getaddrinfo gave 192.0.2.13, 2001:db8:12::13, 2001:db8:12::14
 * -> 2001:db8:12::13, 192.0.2.13, 2001:db8:12::14.
 * Calls: none (walk ai_next).
 */
static int order_addresses(struct addrinfo *res, struct addrinfo *order[], int max)
{
	(void)res;
	(void)order;
	(void)max;
	return not_implemented("order_addresses");
}

/*
 * TODO(happy-eyeballs): begin one connection attempt to ai's address.
 * Prints the trace line "Trying ADDR..." (trace(), ADDR from
 * sock_ntop_host), opens a non-blocking socket like ai's and starts a
 * connect, which then returns 0 or fails with EINPROGRESS: either way
 * the attempt is under way; return the socket.  Any other failure (a
 * host with no route for that family fails with ENETUNREACH at once)
 * prints "connect to ADDR: REASON" (trace(), strerror), closes the
 * socket and returns -1 with errno still telling why.
 * Example: on dscli, ds6srv's IPv6 address -> "0.000 Trying
 * 2001:db8:12::13..." and a socket whose connect is in progress.
 * Calls: socket (SOCK_NONBLOCK in the type), connect, close.
 */
static int start_attempt(const struct addrinfo *ai)
{
	(void)ai;
	(void)trace;
	return not_implemented("start_attempt");
}

/*
 * TODO(happy-eyeballs): race the n addresses of order[] and return the
 * socket of the first attempt that connects, set back to blocking mode.
 *   - start_attempt(order[0]) at once; start the next address when
 *     ATTEMPT_DELAY_MS have passed since the last attempt began without
 *     a connection, or at once when an attempt fails (as it starts, or
 *     later); earlier attempts keep running meanwhile;
 *   - wait with one poll() on every attempt still running (POLLOUT), its
 *     timeout the time left until the next start, or until GIVE_UP_MS
 *     after the last attempt began once every address has been tried;
 *   - when poll reports an attempt, getsockopt SO_ERROR says how it
 *     ended: 0 is a connection ("Connected to ADDR", with trace());
 *     anything else a failure ("connect to ADDR: REASON", then close it);
 *   - when one connects, close every other attempt still running.
 * When every attempt failed, or GIVE_UP_MS passed after the last began,
 * closes what is left and returns -1 with *reason set: the last
 * attempt's errno, or ETIMEDOUT.
 * Example: ds6srv with IPv6 dropped -> "0.000 Trying 2001:db8:12::13...",
 * "0.250 Trying 192.0.2.13...", "0.251 Connected to 192.0.2.13".
 * Calls: start_attempt, poll, getsockopt, fcntl, close, elapsed_ms.
 */
static int race(struct addrinfo *order[], int n, int *reason)
{
	(void)order;
	(void)n;
	(void)reason;
	(void)start_attempt;
	return not_implemented("race");
}

/*
 * TODO(happy-eyeballs): look opt->host up with getaddrinfo -- family
 * AF_UNSPEC (both families), socket type SOCK_STREAM, flag
 * AI_NUMERICSERV -- then order_addresses() (MAX_ATTEMPTS at most),
 * start_clock() and race() them.  Returns the connected socket.  When
 * the lookup fails prints "hecli: HOST: " and gai_strerror's message;
 * when the race is lost, "hecli: HOST: " and strerror of its reason;
 * returns -1.  Frees what getaddrinfo returned in every case.
 * Example: ds6srv (A and AAAA records) -> its IPv6 address is tried
 * first, its IPv4 address 250 ms later if IPv6 has not connected.
 * Calls: getaddrinfo, gai_strerror, order_addresses, start_clock, race,
 * freeaddrinfo, err_msg.
 */
static int connect_happily(const struct options *opt)
{
	(void)opt;
	(void)order_addresses;
	(void)start_clock;
	(void)race;
	return not_implemented("connect_happily");
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
	int fd, status;

	set_progname(argv[0]);
	if (parse_args(argc, argv, &opt) < 0)
		return 1;
	fd = connect_happily(&opt);
	if (fd < 0)
		return 1;
	status = copy_reply(fd);
	close(fd);
	return status == 0 ? 0 : 1;
}
