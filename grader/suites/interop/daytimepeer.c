/*
 * daytimepeer - the grader's own daytime client and server, for the labs
 * that test a student's server (02) or client (03) against a known peer.
 *
 *   daytimepeer get [-u] ADDR PORT
 *       One exchange with a daytime server at the numeric address ADDR
 *       (IPv4 or IPv6).  Prints "local LADDR LPORT" (the client's own
 *       address and port, as the server should log them) and "reply TEXT"
 *       (the first line received, CR LF removed), exit 0; or
 *       "error WORD" -- refused, netunreach, hostunreach, timeout or
 *       other:MESSAGE -- exit 1.  Nothing waits longer than 3 s.
 *
 *   daytimepeer serve [-4] [-u] PORT
 *       A daytime server on the wildcard address: AF_INET6 (which takes
 *       IPv4 clients too), or AF_INET only with -4.  Logs "PROTO from ADDR
 *       port N" per client on stdout.  Runs until a signal ends it.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { WAIT_MS = 3000 };

static void usage(void)
{
	fprintf(stderr, "usage: daytimepeer get [-u] ADDR PORT | serve [-4] [-u] PORT\n");
	exit(2);
}

static int port_of(const char *text)
{
	char *end;
	long port = strtol(text, &end, 10);

	if (end == text || *end != '\0' || port < 1 || port > 65535)
		usage();
	return (int)port;
}

static void text_of(const struct sockaddr_storage *ss, char *buf, size_t len, int *port)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;

	if (ss->ss_family == AF_INET) {
		inet_ntop(AF_INET, &sin->sin_addr, buf, (socklen_t)len);
		*port = ntohs(sin->sin_port);
	} else {
		inet_ntop(AF_INET6, &sin6->sin6_addr, buf, (socklen_t)len);
		*port = ntohs(sin6->sin6_port);
	}
}

static int fail(int err)
{
	switch (err) {
	case ECONNREFUSED: puts("error refused"); break;
	case ENETUNREACH: puts("error netunreach"); break;
	case EHOSTUNREACH: puts("error hostunreach"); break;
	case ETIMEDOUT: puts("error timeout"); break;
	default: printf("error other:%s\n", strerror(err));
	}
	return 1;
}

static int get(int udp, const char *addr, int port)
{
	struct sockaddr_storage ss, local;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t len, llen = sizeof(local);
	struct pollfd pfd = { .events = POLLIN };
	char text[INET6_ADDRSTRLEN], reply[512];
	int fd, lport;
	ssize_t n;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((in_port_t)port);
		len = sizeof(*sin);
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((in_port_t)port);
		len = sizeof(*sin6);
	} else {
		usage();
	}
	fd = socket(ss.ss_family, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd < 0)
		return fail(errno);
	if (connect(fd, (struct sockaddr *)&ss, len) < 0)
		return fail(errno);
	if (getsockname(fd, (struct sockaddr *)&local, &llen) == 0) {
		text_of(&local, text, sizeof(text), &lport);
		printf("local %s %d\n", text, lport);
	}
	if (udp && send(fd, "\n", 1, 0) < 0)
		return fail(errno);
	pfd.fd = fd;
	if (poll(&pfd, 1, WAIT_MS) == 0)
		return fail(ETIMEDOUT);
	n = recv(fd, reply, sizeof(reply) - 1, 0);
	if (n < 0)
		return fail(errno);
	reply[n] = '\0';
	reply[strcspn(reply, "\r\n")] = '\0';
	printf("reply %s\n", reply);
	close(fd);
	return 0;
}

static int serve(int family, int udp, int port)
{
	struct sockaddr_storage ss, peer;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	char text[INET6_ADDRSTRLEN], line[64], buf[512];
	int fd, conn, on = 1, pport;
	socklen_t len;
	time_t now;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((in_port_t)port);
		len = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((in_port_t)port);
		len = sizeof(*sin6);
	}
	fd = socket(family, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0
	    || bind(fd, (struct sockaddr *)&ss, len) < 0 || (!udp && listen(fd, 16) < 0)) {
		perror("daytimepeer serve");
		return 1;
	}
	for (;;) {
		len = sizeof(peer);
		conn = -1;
		if (udp) {
			if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &len) < 0)
				continue;
		} else if ((conn = accept(fd, (struct sockaddr *)&peer, &len)) < 0) {
			continue;
		}
		text_of(&peer, text, sizeof(text), &pport);
		printf("%s from %s port %d\n", udp ? "udp" : "tcp", text, pport);
		fflush(stdout);
		now = time(NULL);
		snprintf(line, sizeof(line), "%.24s\r\n", ctime(&now));
		if (udp)
			sendto(fd, line, strlen(line), 0, (struct sockaddr *)&peer, len);
		else {
			if (write(conn, line, strlen(line)) < 0)
				perror("daytimepeer write");
			close(conn);
		}
	}
}

int main(int argc, char *argv[])
{
	int udp = 0, family = AF_INET6, i = 2;

	if (argc < 3)
		usage();
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-u") == 0)
			udp = 1;
		else if (strcmp(argv[i], "-4") == 0)
			family = AF_INET;
		else
			usage();
	}
	if (strcmp(argv[1], "get") == 0 && argc - i == 2)
		return get(udp, argv[i], port_of(argv[i + 1]));
	if (strcmp(argv[1], "serve") == 0 && argc - i == 1)
		return serve(family, udp, port_of(argv[i]));
	usage();
	return 2;
}
