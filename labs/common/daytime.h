/*
 * daytime.h - what the kit's daytime servers share (the functions are in
 * labutil.c): the time line, and a wait for the next client that a stop
 * signal ends.  Needs _POSIX_C_SOURCE (sigset_t).
 */
#ifndef DAYTIME_H
#define DAYTIME_H

#include <signal.h>
#include <stddef.h>

/* Writes the daytime line, "Tue Nov 26 10:00:00 2024\r\n", into buf. */
void daytime_text(char *buf, size_t len);

/*
 * Catches SIGTERM and SIGINT and blocks them; *waitmask gets the signal
 * mask to wait with (see wait_readable), so that a stop signal interrupts
 * only the wait.  Ignores SIGPIPE: a client that goes away early must not
 * kill the server.
 */
void catch_stop_signals(sigset_t *waitmask);

/*
 * Waits until fd is readable (returns 1) or a stop signal caught by
 * catch_stop_signals came (returns 0, and from then on at once).
 */
int wait_readable(int fd, const sigset_t *waitmask);

#endif
