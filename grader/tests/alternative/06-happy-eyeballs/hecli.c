/*
 * hecli - Happy Eyeballs daytime client (RFC 8305), written apart from the
 * reference.
 *
 *   hecli HOST PORT
 *
 * Where the reference keeps the running attempts in a poll array and
 * computes each timeout from the clock, this one is driven by events:
 * every attempt is a slot of a table with its own state, the sockets are
 * in an epoll set, and one timerfd in the same set fires for the next
 * Connection Attempt Delay and, once every address is started, for the
 * give-up time.  The addresses are ordered by first splitting the list
 * into one array per family and then merging the two.  The winner stays
 * non-blocking: the reply is read with poll before each recv.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "labutil.h"

#define DELAY_MS 250
#define GIVE_UP_MS 3000
#define SLOTS 16
#define TIMER_TAG (-1)

enum state { WAITING, CONNECTING, DONE };

struct slot {
	const struct addrinfo *ai;
	char text[INET6_ADDRSTRLEN];
	enum state state;
	int fd;
};

static double t_zero;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

__attribute__((format(printf, 1, 2)))
static void say(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%.3f ", now_s() - t_zero);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Splits res by family, then merges: v6[0], v4[0], v6[1], v4[1], ... */
static int interleave(struct addrinfo *res, struct slot *slot)
{
	const struct addrinfo *v6[SLOTS], *v4[SLOTS], *ai;
	int n6 = 0, n4 = 0, n = 0, k;

	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET6 && n6 < SLOTS)
			v6[n6++] = ai;
		else if (ai->ai_family == AF_INET && n4 < SLOTS)
			v4[n4++] = ai;
	}
	for (k = 0; (k < n6 || k < n4) && n < SLOTS; k++) {
		if (k < n6)
			slot[n++].ai = v6[k];
		if (k < n4 && n < SLOTS)
			slot[n++].ai = v4[k];
	}
	for (k = 0; k < n; k++) {
		slot[k].state = WAITING;
		slot[k].fd = -1;
		if (sock_ntop_host(slot[k].ai->ai_addr, slot[k].text, sizeof(slot[k].text)) == NULL)
			strcpy(slot[k].text, "?");
	}
	return n;
}

static void arm(int timer, int ms)
{
	struct itimerspec its = { .it_value = { ms / 1000, (long)(ms % 1000) * 1000000L } };

	if (ms <= 0)
		its.it_value.tv_nsec = 1;	/* as soon as possible */
	timerfd_settime(timer, 0, &its, NULL);
}

/* Starts slot s; returns 0 when its connect is under way, else errno. */
static int launch(struct slot *s, int ep)
{
	struct epoll_event ev = { .events = EPOLLOUT };
	int err;

	say("Trying %s...", s->text);
	s->fd = socket(s->ai->ai_family, s->ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       s->ai->ai_protocol);
	if (s->fd >= 0 && (connect(s->fd, s->ai->ai_addr, s->ai->ai_addrlen) == 0 || errno == EINPROGRESS)) {
		ev.data.fd = s->fd;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &ev) == 0) {
			s->state = CONNECTING;
			return 0;
		}
	}
	err = errno;
	say("connect to %s: %s", s->text, strerror(err));
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->state = DONE;
	return err;
}

static int happy(struct slot *slot, int n, int *why)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = TIMER_TAG };
	int ep, timer, started = 0, running = 0, won = -1, k, i, got;

	*why = ETIMEDOUT;
	ep = epoll_create1(EPOLL_CLOEXEC);
	timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (ep < 0 || timer < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, timer, &ev) < 0) {
		*why = errno;
		goto out;
	}
	arm(timer, 0);
	while (won < 0 && (started < n || running > 0)) {
		struct epoll_event evs[SLOTS + 1];

		got = epoll_wait(ep, evs, SLOTS + 1, -1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			*why = errno;
			break;
		}
		for (i = 0; i < got && won < 0; i++) {
			int fd = evs[i].data.fd, err = 0;
			socklen_t len = sizeof(err);

			if (fd == TIMER_TAG) {
				unsigned long long ticks;

				if (read(timer, &ticks, sizeof(ticks)) < 0)
					continue;
				if (started == n) {
					*why = ETIMEDOUT;	/* the give-up time */
					goto out;
				}
				/* Start one; one that fails at once starts the next. */
				while (started < n && (*why = launch(&slot[started++], ep)) != 0)
					;
				running += slot[started - 1].state == CONNECTING;
				arm(timer, started < n && running > 0 ? DELAY_MS : GIVE_UP_MS);
				if (running == 0 && started == n)
					goto out;
				continue;
			}
			for (k = 0; k < started && slot[k].fd != fd; k++)
				;
			if (k == started || slot[k].state != CONNECTING)
				continue;
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
				err = errno;
			if (err == 0) {
				say("Connected to %s", slot[k].text);
				won = k;
				break;
			}
			say("connect to %s: %s", slot[k].text, strerror(err));
			epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
			close(fd);
			slot[k].fd = -1;
			slot[k].state = DONE;
			running--;
			*why = err;
			if (started < n)
				arm(timer, 0);	/* a failure: the next one now */
			else if (running == 0)
				goto out;
		}
	}
out:
	for (k = 0; k < started; k++)
		if (k != won && slot[k].fd >= 0)
			close(slot[k].fd);
	if (timer >= 0)
		close(timer);
	if (ep >= 0)
		close(ep);
	return won >= 0 ? slot[won].fd : -1;
}

static int read_reply(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[512];
	ssize_t got;

	for (;;) {
		int r = poll(&p, 1, 3000);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err_msg("read: %s", strerror(r == 0 ? ETIMEDOUT : errno));
			return 1;
		}
		got = recv(fd, buf, sizeof(buf), 0);
		if (got < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (got < 0) {
			err_msg("read: %s", strerror(errno));
			return 1;
		}
		if (got == 0)
			return fflush(stdout) == 0 ? 0 : 1;
		fwrite(buf, 1, (size_t)got, stdout);
	}
}

int main(int argc, char *argv[])
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res;
	struct slot slot[SLOTS];
	int rc, fd, n, why, status;

	set_progname(argv[0]);
	if (argc != 3 || argv[1][0] == '-')
		err_usage("HOST PORT");
	if (parse_port(argv[2]) < 0) {
		err_msg("'%s' is not a port (1-65535)", argv[2]);
		return EXIT_USAGE;
	}
	rc = getaddrinfo(argv[1], argv[2], &hints, &res);
	if (rc != 0) {
		err_msg("%s: %s", argv[1], rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return 1;
	}
	n = interleave(res, slot);
	t_zero = now_s();
	fd = happy(slot, n, &why);
	freeaddrinfo(res);
	if (fd < 0) {
		err_msg("%s: %s", argv[1], strerror(why));
		return 1;
	}
	status = read_reply(fd);
	close(fd);
	return status;
}
