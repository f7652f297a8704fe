/*
 * die.h - the error exit of confine and hostexec: "NAME: what: why" on
 * stderr, exit status 126 (the command could not be run).  Needs
 * _GNU_SOURCE, for program_invocation_short_name.
 */
#ifndef DIE_H
#define DIE_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

_Noreturn static void die(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	_exit(126);
}

#endif
