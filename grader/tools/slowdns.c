/*
 * slowdns: a DNS resolver that answers late, or never.
 *
 *   slowdns [-b] [-d MS|never] [-u UPSTREAM] ADDR...
 *
 * Listens on UDP port 53 of every ADDR (IPv4 or IPv6). Each query is passed
 * at once to UPSTREAM (an IPv4 or IPv6 address, port 53; default 127.0.0.1),
 * and the upstream reply is relayed to the client MS milliseconds after the
 * query arrived, so the client sees the upstream server's exact answer, only
 * late. Every query has its own clock: one that arrives while another waits
 * is not queued behind it. With `-d never` queries are read and dropped.
 *
 * -b  go to the background once every socket is bound, printing the
 *     daemon's pid on stdout: when the command returns, queries are served.
 *
 * Used by the getnameinfo lab (exercise 11.11) to make getnameinfo block.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
	DNS_PORT = 53,
	MAX_LISTEN = 8,
	MAX_PENDING = 128,  /* queries in flight; more are dropped */
	MSG_MAX = 4096,
	UPSTREAM_GRACE_MS = 5000,  /* how long past its due time a query waits */
};

/* A query waiting for its upstream reply, its due time, or both. */
struct pending {
	bool used;
	int listen_fd;                 /* the socket the query came in on */
	struct sockaddr_storage client;
	socklen_t client_len;
	int upstream_fd;               /* connected to the upstream server */
	long long due_ms;              /* when the reply may go out */
	unsigned char reply[MSG_MAX];
	ssize_t reply_len;             /* -1 until the upstream has answered */
};

static struct pending pending[MAX_PENDING];

static void die(const char *what)
{
	fprintf(stderr, "slowdns: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: slowdns [-b] [-d MS|never] [-u UPSTREAM] ADDR...\n");
	exit(2);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Fill *ss with ADDR port 53; return its length, or 0 if ADDR is no address. */
static socklen_t parse_addr(const char *addr, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(DNS_PORT);
		return sizeof(*sin);
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(DNS_PORT);
		return sizeof(*sin6);
	}
	return 0;
}

static int udp_socket(const struct sockaddr_storage *ss)
{
	int fd = socket(ss->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	return fd;
}

static int listen_on(const char *addr)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, &ss);
	int fd;

	if (len == 0) {
		fprintf(stderr, "slowdns: %s: not an IPv4 or IPv6 address\n", addr);
		exit(2);
	}
	fd = udp_socket(&ss);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		fprintf(stderr, "slowdns: bind %s port %d: %s\n", addr, DNS_PORT,
			strerror(errno));
		exit(1);
	}
	return fd;
}

/*
 * A daemon keeps no descriptor it was handed beyond stdin, stdout and
 * stderr: whoever holds the other end of a pipe may be waiting for EOF
 * (bats does, on its fd 3), and a held lock would never be released.
 */
static void close_inherited_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *entry;

	if (dir == NULL)
		die("/proc/self/fd");
	while ((entry = readdir(dir)) != NULL) {
		int fd = atoi(entry->d_name);

		if (fd > STDERR_FILENO && fd != dirfd(dir))
			close(fd);
	}
	closedir(dir);
}

/* Detach from the caller once the sockets are bound; print the daemon's pid. */
static void background(void)
{
	int null_fd;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid > 0) {
		printf("%ld\n", (long)pid);
		exit(0);
	}
	if (setsid() < 0)
		die("setsid");
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0)
		die("/dev/null");
	dup2(null_fd, STDIN_FILENO);
	dup2(null_fd, STDOUT_FILENO);
	close(null_fd);
}

static struct pending *free_slot(void)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (!pending[i].used)
			return &pending[i];
	return NULL;
}

static void release(struct pending *p)
{
	close(p->upstream_fd);
	p->used = false;
}

/* Read one query from listen_fd; forward it upstream unless delay_ms < 0. */
static void take_query(int listen_fd, long delay_ms,
		       const struct sockaddr_storage *upstream, socklen_t upstream_len)
{
	unsigned char query[MSG_MAX];
	struct sockaddr_storage client;
	socklen_t client_len = sizeof(client);
	ssize_t n = recvfrom(listen_fd, query, sizeof(query), 0,
			     (struct sockaddr *)&client, &client_len);
	struct pending *p;

	if (n <= 0 || delay_ms < 0)
		return;
	p = free_slot();
	if (p == NULL)
		return;  /* too busy: the client will retry, as with any server */
	p->upstream_fd = udp_socket(upstream);
	if (connect(p->upstream_fd, (const struct sockaddr *)upstream, upstream_len) < 0 ||
	    send(p->upstream_fd, query, (size_t)n, 0) < 0) {
		fprintf(stderr, "slowdns: upstream: %s\n", strerror(errno));
		close(p->upstream_fd);
		return;
	}
	p->used = true;
	p->listen_fd = listen_fd;
	p->client = client;
	p->client_len = client_len;
	p->due_ms = now_ms() + delay_ms;
	p->reply_len = -1;
}

/* Send the replies that are due; drop queries upstream never answered. */
static void send_due(long long now)
{
	for (int i = 0; i < MAX_PENDING; i++) {
		struct pending *p = &pending[i];

		if (!p->used || now < p->due_ms)
			continue;
		if (p->reply_len >= 0) {
			sendto(p->listen_fd, p->reply, (size_t)p->reply_len, 0,
			       (struct sockaddr *)&p->client, p->client_len);
			release(p);
		} else if (now >= p->due_ms + UPSTREAM_GRACE_MS) {
			release(p);
		}
	}
}

/* Milliseconds until the next pending query needs attention, or -1. */
static int next_timeout(long long now)
{
	long long next = -1;

	for (int i = 0; i < MAX_PENDING; i++) {
		const struct pending *p = &pending[i];
		long long at;

		if (!p->used)
			continue;
		at = p->reply_len >= 0 ? p->due_ms : p->due_ms + UPSTREAM_GRACE_MS;
		if (next < 0 || at < next)
			next = at;
	}
	if (next < 0)
		return -1;
	if (next <= now)
		return 0;
	return next - now > INT_MAX ? INT_MAX : (int)(next - now);
}

static long parse_delay(const char *arg)
{
	char *end;
	long ms;

	if (strcmp(arg, "never") == 0)
		return -1;
	errno = 0;
	ms = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || ms < 0)
		usage();
	return ms;
}

int main(int argc, char *argv[])
{
	struct pollfd fds[MAX_LISTEN + MAX_PENDING];
	struct pending *owner[MAX_LISTEN + MAX_PENDING];
	int listen_fds[MAX_LISTEN];
	int nlisten = 0;
	long delay_ms = 0;
	const char *upstream_arg = "127.0.0.1";
	struct sockaddr_storage upstream;
	socklen_t upstream_len;
	bool detach = false;
	int opt;

	while ((opt = getopt(argc, argv, "bd:u:")) != -1) {
		switch (opt) {
		case 'b':
			detach = true;
			break;
		case 'd':
			delay_ms = parse_delay(optarg);
			break;
		case 'u':
			upstream_arg = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind == argc || argc - optind > MAX_LISTEN)
		usage();
	upstream_len = parse_addr(upstream_arg, &upstream);
	if (upstream_len == 0) {
		fprintf(stderr, "slowdns: %s: not an IPv4 or IPv6 address\n", upstream_arg);
		exit(2);
	}
	if (detach)
		close_inherited_fds();
	for (int i = optind; i < argc; i++)
		listen_fds[nlisten++] = listen_on(argv[i]);
	if (detach)
		background();

	for (;;) {
		long long now = now_ms();
		int nfds = 0;

		for (int i = 0; i < nlisten; i++) {
			fds[nfds] = (struct pollfd){ .fd = listen_fds[i], .events = POLLIN };
			owner[nfds++] = NULL;
		}
		for (int i = 0; i < MAX_PENDING; i++) {
			if (!pending[i].used || pending[i].reply_len >= 0)
				continue;
			fds[nfds] = (struct pollfd){ .fd = pending[i].upstream_fd, .events = POLLIN };
			owner[nfds++] = &pending[i];
		}
		if (poll(fds, (nfds_t)nfds, next_timeout(now)) < 0 && errno != EINTR)
			die("poll");
		for (int i = 0; i < nfds; i++) {
			if (fds[i].revents == 0)
				continue;
			if (owner[i] == NULL)
				take_query(fds[i].fd, delay_ms, &upstream, upstream_len);
			else
				owner[i]->reply_len = recv(fds[i].fd, owner[i]->reply,
							   sizeof(owner[i]->reply), 0);
		}
		send_due(now_ms());
	}
}
