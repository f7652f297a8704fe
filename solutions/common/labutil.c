#define _POSIX_C_SOURCE 200809L
#include "labutil.h"
#include "daytime.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

static const char *progname = "lab";

void set_progname(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');

	progname = slash ? slash + 1 : argv0;
}

static void vmessage(const char *fmt, va_list ap, int errnum)
{
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	if (errnum != 0)
		fprintf(stderr, ": %s", strerror(errnum));
	fputc('\n', stderr);
}

void err_sys(const char *fmt, ...)
{
	int errnum = errno;
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap, errnum);
	va_end(ap);
	exit(1);
}

void err_quit(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap, 0);
	va_end(ap);
	exit(1);
}

void err_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap, 0);
	va_end(ap);
}

void err_usage(const char *usage)
{
	fprintf(stderr, "usage: %s %s\n", progname, usage);
	exit(EXIT_USAGE);
}

int parse_port(const char *text)
{
	char *end;
	long port;

	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	port = strtol(text, &end, 10);
	if (errno != 0 || *end != '\0' || port < 1 || port > 65535)
		return -1;
	return (int)port;
}

char *sock_ntop_host(const struct sockaddr *sa, char *buf, size_t len)
{
	const void *addr;

	switch (sa->sa_family) {
	case AF_INET:
		addr = &((const struct sockaddr_in *)sa)->sin_addr;
		break;
	case AF_INET6:
		addr = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		break;
	default:
		errno = EAFNOSUPPORT;
		return NULL;
	}
	if (inet_ntop(sa->sa_family, addr, buf, (socklen_t)len) == NULL)
		return NULL;
	return buf;
}

int sock_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
}

int not_implemented(const char *what)
{
	fprintf(stderr, "%s: %s: not implemented yet\n", progname, what);
	return -1;
}

void daytime_text(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(buf, len, "%a %b %e %H:%M:%S %Y\r\n", &tm);
}

static volatile sig_atomic_t stop_requested;

static void on_stop(int signo)
{
	(void)signo;
	stop_requested = 1;
}

void catch_stop_signals(sigset_t *waitmask)
{
	struct sigaction sa;
	sigset_t stops;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	sigemptyset(&stops);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGINT);
	sigprocmask(SIG_BLOCK, &stops, waitmask);
}

int wait_readable(int fd, const sigset_t *waitmask)
{
	fd_set readable;

	while (!stop_requested) {
		FD_ZERO(&readable);
		FD_SET(fd, &readable);
		if (pselect(fd + 1, &readable, NULL, NULL, NULL, waitmask) > 0)
			return 1;
		if (errno != EINTR)
			err_sys("pselect");
	}
	return 0;
}
