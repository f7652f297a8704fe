/*
 * daytimesrv4 - the IPv4 daytime server of Figure 12.5 (provided, complete).
 *
 *   daytimesrv4 [-u] PORT
 *
 * An AF_INET socket bound to INADDR_ANY: it serves IPv4 clients only,
 * whatever the host's stack.  Like daytimesrv6 it sends each client the
 * time ("Tue Nov 26 10:00:00 2024\r\n") and logs one line per client on
 * stdout, "tcp from 192.0.2.20 port 40112 (IPv4)" ("udp from ..." with -u),
 * until SIGTERM or SIGINT; then it exits 0.  A bad command line exits 2, a
 * port in use 1.
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

static int open_listener(int port, int type)
{
	struct sockaddr_in addr;
	int fd, on = 1;

	if ((fd = socket(AF_INET, type, 0)) < 0)
		err_sys("socket");
	if (type == SOCK_STREAM)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_ANY);
	addr.sin_port = htons((in_port_t)port);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		err_sys("bind port %d", port);
	if (type == SOCK_STREAM && listen(fd, 16) < 0)
		err_sys("listen");
	return fd;
}

static void log_peer(const char *proto, const struct sockaddr_in *peer)
{
	char text[INET_ADDRSTRLEN];

	if (sock_ntop_host((const struct sockaddr *)peer, text, sizeof(text)) == NULL)
		snprintf(text, sizeof(text), "?");
	printf("%s from %s port %d (IPv4)\n", proto, text,
	       sock_port((const struct sockaddr *)peer));
	fflush(stdout);
}

/* Serves the one client (or datagram) waiting on fd. */
static void serve(int fd, int type)
{
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	char buf[512], line[64];
	int conn;

	if (type == SOCK_DGRAM) {
		if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &len) < 0) {
			err_msg("recvfrom: %s", strerror(errno));
			return;
		}
		log_peer("udp", &peer);
		daytime_text(line, sizeof(line));
		if (sendto(fd, line, strlen(line), 0, (struct sockaddr *)&peer, len) < 0)
			err_msg("sendto: %s", strerror(errno));
		return;
	}
	if ((conn = accept(fd, (struct sockaddr *)&peer, &len)) < 0) {
		err_msg("accept: %s", strerror(errno));
		return;
	}
	log_peer("tcp", &peer);
	daytime_text(line, sizeof(line));
	if (write(conn, line, strlen(line)) < 0)
		err_msg("write: %s", strerror(errno));
	close(conn);
}

int main(int argc, char *argv[])
{
	int c, fd, port, type = SOCK_STREAM;
	sigset_t waitmask;

	set_progname(argv[0]);
	opterr = 0;
	while ((c = getopt(argc, argv, "u")) != -1) {
		if (c != 'u')
			err_usage("[-u] PORT");
		type = SOCK_DGRAM;
	}
	if (argc - optind != 1)
		err_usage("[-u] PORT");
	if ((port = parse_port(argv[optind])) < 0) {
		err_msg("bad port '%s': a number from 1 to 65535", argv[optind]);
		exit(EXIT_USAGE);
	}
	catch_stop_signals(&waitmask);
	fd = open_listener(port, type);
	while (wait_readable(fd, &waitmask))
		serve(fd, type);
	close(fd);
	return 0;
}
