/*
 * labutil.h - the few helpers every lab program shares.
 *
 * Error exits after the book's err_sys/err_quit family, without the static
 * buffers: err_sys() is for a failed system call (errno is printed),
 * err_quit() for everything else.  Both print "PROG: message" on stderr.
 */
#ifndef LABUTIL_H
#define LABUTIL_H

#include <stddef.h>
#include <sys/socket.h>

/* Exit status for a bad command line, as the labs' specs require. */
#define EXIT_USAGE 2

/* Sets the program name used in messages (call first in main). */
void set_progname(const char *argv0);

/* Prints "PROG: message: strerror(errno)" and exits with status 1. */
_Noreturn void err_sys(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* Prints "PROG: message" and exits with status 1. */
_Noreturn void err_quit(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* Prints "usage: PROG usage" and exits with status EXIT_USAGE. */
_Noreturn void err_usage(const char *usage);

/* Prints "PROG: message" and returns (for errors the program survives). */
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Parses a port number 1..65535; returns it, or -1 for anything else
 * (empty, signs, junk after the digits, out of range).
 */
int parse_port(const char *text);

/*
 * Writes the numeric address of sa (no port) into buf, reentrantly:
 * "192.0.2.10", "2001:db8:12::20", "::ffff:192.0.2.10".  Returns buf, or
 * NULL (errno set) for an unknown family or a buffer that is too small.
 * INET6_ADDRSTRLEN bytes are always enough.
 */
char *sock_ntop_host(const struct sockaddr *sa, char *buf, size_t len);

/* The port of an AF_INET or AF_INET6 address, in host byte order. */
int sock_port(const struct sockaddr *sa);

/*
 * What a skeleton's unfinished parts call: prints "PROG: WHAT: not
 * implemented yet" on stderr and returns -1, the sentinel every lab
 * function returns until the student writes it.
 */
int not_implemented(const char *what);

#endif
