/*
 * gnitimeo - asks getnameinfo_timeo for the name of an address, by hand.
 *
 *   gnitimeo [-r] [-t SECS] ADDR [PORT]
 *
 *   -r       set NI_NAMEREQD: no name in time is an error
 *   -t SECS  the time limit (default 2; 0 means none)
 *
 * Prints what the function returned: the host (and the service, when PORT
 * is given) on stdout, how long the call took on stderr.  Exits 1 with
 * gai_strerror's message when it returned an error.
 *
 *   $ gnitimeo -t 1 192.0.2.10 13
 *   v4srv.lab.test daytime
 *   gnitimeo: returned 0 after 0.004 s
 */
#define _POSIX_C_SOURCE 200809L
#include "gni_timeo.h"
#include "labutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define USAGE "[-r] [-t SECS] ADDR [PORT]"

/* Fills *ss with ADDR (IPv4 or IPv6 text) and PORT; returns its length. */
static socklen_t make_sockaddr(const char *addr, int port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((unsigned short)port);
		return sizeof(*sin);
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((unsigned short)port);
		return sizeof(*sin6);
	}
	return 0;
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

int main(int argc, char *argv[])
{
	struct sockaddr_storage ss;
	struct timespec start;
	char host[1025], serv[32];
	int opt, flags = 0, nsec = 2, port = 0, rc, errnum;
	socklen_t len;
	char *end;

	set_progname(argv[0]);
	while ((opt = getopt(argc, argv, "rt:")) != -1) {
		switch (opt) {
		case 'r':
			flags |= NI_NAMEREQD;
			break;
		case 't':
			errno = 0;
			nsec = (int)strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg || nsec < 0 || nsec > 3600)
				err_usage(USAGE);
			break;
		default:
			err_usage(USAGE);
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		err_usage(USAGE);
	if (argc - optind == 2 && (port = parse_port(argv[optind + 1])) < 0)
		err_quit("%s: not a port number", argv[optind + 1]);
	len = make_sockaddr(argv[optind], port, &ss);
	if (len == 0)
		err_quit("%s: not an IPv4 or IPv6 address", argv[optind]);

	clock_gettime(CLOCK_MONOTONIC, &start);
	rc = getnameinfo_timeo((struct sockaddr *)&ss, len, host, sizeof(host),
			       port ? serv : NULL, port ? sizeof(serv) : 0, flags, nsec);
	errnum = errno;
	err_msg("returned %d after %.3f s", rc, seconds_since(&start));
	if (rc != 0)
		err_quit("getnameinfo_timeo: %s", rc == EAI_SYSTEM ? strerror(errnum) : gai_strerror(rc));
	if (port)
		printf("%s %s\n", host, serv);
	else
		printf("%s\n", host);
	return 0;
}
