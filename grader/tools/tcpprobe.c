/*
 * tcpprobe: try one TCP connection and say how it ended.
 *
 *   tcpprobe ADDR PORT
 *
 * ADDR is a numeric IPv4 or IPv6 address. Prints one word: "connected",
 * "refused" (ECONNREFUSED), "netunreach" (ENETUNREACH), "hostunreach"
 * (EHOSTUNREACH), "noaddr" (EADDRNOTAVAIL: no source address of that
 * family, e.g. IPv6 on a host with IPv6 disabled), "timeout" (no answer
 * within 3 s) or "error: MESSAGE".
 * Exits 0 when connected, 1 otherwise, 2 on bad arguments.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { TIMEOUT_MS = 3000 };

static void usage(void)
{
	fprintf(stderr, "usage: tcpprobe ADDR PORT\n");
	exit(2);
}

/* Fill *ss with ADDR and PORT; return its length. */
static socklen_t parse_endpoint(const char *addr, const char *port,
				struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	char *end;
	long num = strtol(port, &end, 10);

	if (end == port || *end != '\0' || num <= 0 || num > 65535)
		usage();
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((in_port_t)num);
		return sizeof(*sin);
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((in_port_t)num);
		return sizeof(*sin6);
	}
	usage();
	return 0;
}

/* Connect without blocking longer than TIMEOUT_MS; return 0 or an errno. */
static int try_connect(int fd, const struct sockaddr_storage *ss, socklen_t len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	int err = 0;
	socklen_t errlen = sizeof(err);

	if (connect(fd, (const struct sockaddr *)ss, len) == 0)
		return 0;
	if (errno != EINPROGRESS)
		return errno;
	if (poll(&pfd, 1, TIMEOUT_MS) == 0)
		return ETIMEDOUT;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) < 0)
		return errno;
	return err;
}

int main(int argc, char *argv[])
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, err;

	if (argc != 3)
		usage();
	len = parse_endpoint(argv[1], argv[2], &ss);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		printf("error: socket: %s\n", strerror(errno));
		return 1;
	}
	err = try_connect(fd, &ss, len);
	close(fd);
	switch (err) {
	case 0:
		puts("connected");
		return 0;
	case ECONNREFUSED:
		puts("refused");
		break;
	case ENETUNREACH:
		puts("netunreach");
		break;
	case EHOSTUNREACH:
		puts("hostunreach");
		break;
	case EADDRNOTAVAIL:
		puts("noaddr");
		break;
	case ETIMEDOUT:
		puts("timeout");
		break;
	default:
		printf("error: %s\n", strerror(err));
	}
	return 1;
}
