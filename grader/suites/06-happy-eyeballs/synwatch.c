/*
 * synwatch - the grader's own view of the TCP handshakes with one port of
 * a lab host, read off the host's interfaces (a packet socket sees every
 * packet as it arrives, before the host's firewall rules drop any).
 *
 *   synwatch PORT
 *
 * Prints "ready" once it watches, then one line per TCP segment to PORT
 * that opens a connection (SYN) or per answer from PORT that accepts or
 * refuses one (SYN-ACK, RST):
 *
 *   TIME FAMILY KIND
 *
 * TIME is when the kernel took the packet in or sent it out (CLOCK_REALTIME
 * seconds, microseconds after the point: the clock of bash's
 * EPOCHREALTIME), FAMILY is v4 or v6, KIND syn, synack or rst.  Runs until
 * SIGTERM or SIGINT; then prints what is still queued, and exits 0.
 */
#define _DEFAULT_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* The TCP header of the IP packet pkt (len bytes), or NULL. */
static const unsigned char *tcp_of(const unsigned char *pkt, size_t len, int family)
{
	size_t hlen;

	if (family == 4) {
		if (len < 20 || pkt[9] != IPPROTO_TCP)
			return NULL;
		hlen = (size_t)(pkt[0] & 0x0f) * 4;
		if (((pkt[6] & 0x1f) | pkt[7]) != 0)
			return NULL;	/* a fragment after the first */
	} else {
		if (len < 40 || pkt[6] != IPPROTO_TCP)
			return NULL;	/* no extension headers on the lab network */
		hlen = 40;
	}
	return len >= hlen + 20 ? pkt + hlen : NULL;
}

static void report(const unsigned char *pkt, size_t len, int family, int outgoing,
		   int port, const struct timeval *tv)
{
	const unsigned char *tcp = tcp_of(pkt, len, family);
	int sport, dport, flags;
	const char *kind;

	if (tcp == NULL)
		return;
	sport = tcp[0] << 8 | tcp[1];
	dport = tcp[2] << 8 | tcp[3];
	flags = tcp[13];
	if (!outgoing && dport == port && (flags & 0x12) == 0x02)
		kind = "syn";
	else if (outgoing && sport == port && (flags & 0x12) == 0x12)
		kind = "synack";
	else if (outgoing && sport == port && (flags & 0x04))
		kind = "rst";
	else
		return;
	printf("%ld.%06ld v%d %s\n", (long)tv->tv_sec, (long)tv->tv_usec, family, kind);
}

int main(int argc, char *argv[])
{
	struct sigaction sa;
	unsigned char pkt[2048];
	char control[256];
	int fd, port, on = 1;

	if (argc != 2 || (port = atoi(argv[1])) < 1 || port > 65535) {
		fprintf(stderr, "usage: synwatch PORT\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: recvmsg returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_TIMESTAMP, &on, sizeof(on)) < 0) {
		perror("synwatch");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	puts("ready");
	for (;;) {
		struct sockaddr_ll from;
		struct iovec iov = { .iov_base = pkt, .iov_len = sizeof(pkt) };
		struct msghdr msg = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = control, .msg_controllen = sizeof(control),
		};
		struct cmsghdr *c;
		struct timeval tv = { 0, 0 };
		ssize_t n = recvmsg(fd, &msg, stopping ? MSG_DONTWAIT : 0);
		int family;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;	/* stopping, and everything read */
			perror("synwatch");
			return 1;
		}
		if (from.sll_hatype == 772)
			continue;	/* loopback: not the lab network */
		for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMP)
				memcpy(&tv, CMSG_DATA(c), sizeof(tv));
		if (tv.tv_sec == 0)
			gettimeofday(&tv, NULL);
		if (from.sll_protocol == htons(ETH_P_IP))
			family = 4;
		else if (from.sll_protocol == htons(ETH_P_IPV6))
			family = 6;
		else
			continue;
		report(pkt, (size_t)n, family, from.sll_pkttype == PACKET_OUTGOING, port, &tv);
	}
}
