/*
 * delayq - holds each packet of a netfilter queue for a while, then lets it
 * go: the grader's delay on one path of a lab host, where there is no
 * tc netem.
 *
 *   delayq QUEUE MS
 *
 * Binds netfilter queue QUEUE of the host it runs on (a rule such as
 * `ip6tables -I INPUT ... -j NFQUEUE --queue-num QUEUE` sends packets
 * there), prints "ready", and accepts every packet MS milliseconds after
 * it came, in the order they came.  Runs until SIGTERM or SIGINT.  It talks
 * to the kernel in plain netlink messages (nfnetlink_queue), without
 * libnetfilter_queue.
 */
#define _DEFAULT_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { HELD_MAX = 1024 };

struct held {
	unsigned int id;	/* the kernel's packet id, host order */
	long long due_ms;
};

static volatile sig_atomic_t stopping;
static unsigned short queue;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Appends attribute TYPE with LEN bytes of DATA to the message in buf. */
static void put_attr(char *buf, int type, const void *data, size_t len)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlattr *a = (struct nlattr *)(buf + NLMSG_ALIGN(nlh->nlmsg_len));

	a->nla_type = (unsigned short)type;
	a->nla_len = (unsigned short)(NLA_HDRLEN + len);
	memcpy((char *)a + NLA_HDRLEN, data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

/* Starts a message of TYPE (nfnetlink_queue) in buf. */
static void start_msg(char *buf, int type, int family)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nfgenmsg *g;

	memset(buf, 0, NLMSG_SPACE(sizeof(*g)));
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*g));
	nlh->nlmsg_type = (unsigned short)((NFNL_SUBSYS_QUEUE << 8) | type);
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g = NLMSG_DATA(nlh);
	g->nfgen_family = (unsigned char)family;
	g->version = NFNETLINK_V0;
	g->res_id = htons(queue);
}

static int send_msg(int fd, char *buf)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

	return sendto(fd, buf, nlh->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0 ? -1 : 0;
}

static int accept_packet(int fd, unsigned int id)
{
	char buf[128] __attribute__((aligned(4)));
	struct nfqnl_msg_verdict_hdr v = { .verdict = htonl(NF_ACCEPT), .id = htonl(id) };

	start_msg(buf, NFQNL_MSG_VERDICT, AF_UNSPEC);
	put_attr(buf, NFQA_VERDICT_HDR, &v, sizeof(v));
	return send_msg(fd, buf);
}

static int bind_queue(int fd)
{
	char buf[128] __attribute__((aligned(4)));
	struct nfqnl_msg_config_cmd cmd = { .command = NFQNL_CFG_CMD_BIND };
	struct nfqnl_msg_config_params params = { .copy_range = htonl(0), .copy_mode = NFQNL_COPY_META };

	start_msg(buf, NFQNL_MSG_CONFIG, AF_UNSPEC);
	put_attr(buf, NFQA_CFG_CMD, &cmd, sizeof(cmd));
	if (send_msg(fd, buf) < 0)
		return -1;
	start_msg(buf, NFQNL_MSG_CONFIG, AF_UNSPEC);
	put_attr(buf, NFQA_CFG_PARAMS, &params, sizeof(params));
	return send_msg(fd, buf);
}

/* The packet id of an NFQNL_MSG_PACKET message, or -1. */
static long long packet_id(struct nlmsghdr *nlh)
{
	struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(nlh) + NLMSG_ALIGN(sizeof(struct nfgenmsg)));
	int left = (int)nlh->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof(struct nfgenmsg)));

	while (left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= left) {
		if ((a->nla_type & NLA_TYPE_MASK) == NFQA_PACKET_HDR) {
			struct nfqnl_msg_packet_hdr ph;

			memcpy(&ph, (char *)a + NLA_HDRLEN, sizeof(ph));
			return ntohl(ph.packet_id);
		}
		left -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	return -1;
}

int main(int argc, char *argv[])
{
	static struct held held[HELD_MAX];
	struct sockaddr_nl me = { .nl_family = AF_NETLINK };
	struct sigaction sa;
	char buf[8192] __attribute__((aligned(4)));
	int fd, delay, head = 0, count = 0, wait;

	if (argc != 3 || atoi(argv[1]) < 0 || atoi(argv[1]) > 65535 || (delay = atoi(argv[2])) < 0) {
		fprintf(stderr, "usage: delayq QUEUE MS\n");
		return 2;
	}
	queue = (unsigned short)atoi(argv[1]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
	if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0 || bind_queue(fd) < 0) {
		perror("delayq");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	puts("ready");
	while (!stopping) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long long now = now_ms();

		while (count > 0 && held[head].due_ms <= now) {
			if (accept_packet(fd, held[head].id) < 0)
				perror("delayq: verdict");
			head = (head + 1) % HELD_MAX;
			count--;
		}
		wait = count > 0 ? (int)(held[head].due_ms - now) : -1;
		if (poll(&pfd, 1, wait) <= 0)
			continue;
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno != EINTR && errno != ENOBUFS)
				perror("delayq: recv");
			continue;
		}
		for (struct nlmsghdr *nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			long long id;

			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);

				if (e->error != 0)
					fprintf(stderr, "delayq: the kernel says: %s\n", strerror(-e->error));
				continue;
			}
			if ((nlh->nlmsg_type & 0xff) != NFQNL_MSG_PACKET || (id = packet_id(nlh)) < 0)
				continue;
			if (count == HELD_MAX) {
				accept_packet(fd, (unsigned int)id);	/* no room: no delay */
				continue;
			}
			held[(head + count) % HELD_MAX] = (struct held){ (unsigned int)id, now_ms() + delay };
			count++;
		}
	}
	/* Let what is still held go before the queue closes (and drops it). */
	for (; count > 0; count--, head = (head + 1) % HELD_MAX)
		accept_packet(fd, held[head].id);
	return 0;
}
