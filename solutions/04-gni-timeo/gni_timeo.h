/*
 * gni_timeo.h - getnameinfo with a time limit (exercise 11.11 of UNP vol. 1).
 */
#ifndef GNI_TIMEO_H
#define GNI_TIMEO_H

#include <netdb.h>
#include <sys/socket.h>

/*
 * Like getnameinfo(3), but waits at most nsec seconds for the answer
 * (nsec <= 0: no limit).
 *
 *   - The answer arrives in time: whatever getnameinfo returns, unchanged.
 *   - It does not, and flags lacks NI_NAMEREQD: host gets the numeric text
 *     of the address (what inet_ntop gives: "192.0.2.10", "2001:db8:12::11",
 *     "::ffff:192.0.2.10"), serv the numeric port (when serv is not NULL),
 *     and the result is 0 (EAI_OVERFLOW when a buffer is too small).
 *   - It does not, and NI_NAMEREQD is set: EAI_AGAIN.
 *
 * Works for AF_INET and AF_INET6 (IPv4-mapped included).  Leaves nothing
 * behind: no memory, descriptor, child process or thread, and the caller's
 * SIGALRM disposition, pending alarm and signal mask as they were.
 */
int getnameinfo_timeo(const struct sockaddr *sa, socklen_t salen,
		      char *host, socklen_t hostlen, char *serv, socklen_t servlen,
		      int flags, int nsec);

#endif
