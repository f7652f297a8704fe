/*
 * gni_timeo.c - getnameinfo with a time limit (exercise 11.11).
 *
 * Unlike the reference, no pipe: the child writes its answer into an
 * anonymous shared mapping and posts a process-shared semaphore there;
 * the parent waits on the semaphore with sem_clockwait until a deadline,
 * and kills a late child outright (SIGKILL, no handler in the child).
 *
 * The way: a child process calls getnameinfo; the parent waits at most
 * nsec seconds for its answer, kills the child with SIGKILL if none came,
 * and reaps it in every case.  Why: a process can be stopped at any
 * moment and the kernel frees all it had (socket, memory, locks), while a
 * thread cannot be stopped and siglongjmp leaves the resolver broken; no
 * alarm, handler or signal mask of the caller is touched.  Costs: a fork
 * and a page of shared memory per call that needs the network
 * (NI_NUMERICHOST and nsec <= 0 call getnameinfo directly); sem_clockwait
 * is glibc's (2.30 and later).  Cannot: notice a child that dies without
 * answering before the deadline; be safe in a multithreaded caller (the
 * child may find a resolver lock that another thread held at the fork);
 * keep a caller's SIGCHLD handler that reaps every child from reaping ours
 * (our waitpid then just fails).
 */
#define _GNU_SOURCE
#include "gni_timeo.h"
#include "labutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The shared mapping: the child's answer, host then serv in text. */
struct answer {
	sem_t done;		/* posted once rc, errnum and text are there */
	int rc;			/* what getnameinfo returned */
	int errnum;		/* its errno, for EAI_SYSTEM */
	char text[];
};

/* The answer when the name did not come in time. */
static int numeric_answer(const struct sockaddr *sa, char *host, socklen_t hostlen,
			  char *serv, socklen_t servlen, int flags)
{
	const void *addr;
	int port;

	if (flags & NI_NAMEREQD)
		return EAI_AGAIN;
	if (sa->sa_family == AF_INET)
		addr = &((const struct sockaddr_in *)sa)->sin_addr;
	else if (sa->sa_family == AF_INET6)
		addr = &((const struct sockaddr_in6 *)sa)->sin6_addr;
	else
		return EAI_FAMILY;
	port = sock_port(sa);
	if (host != NULL && hostlen > 0 &&
	    inet_ntop(sa->sa_family, addr, host, hostlen) == NULL)
		return EAI_OVERFLOW;
	if (serv != NULL && servlen > 0 &&
	    snprintf(serv, servlen, "%d", port) >= (int)servlen)
		return EAI_OVERFLOW;
	return 0;
}

/*
 * Waits at most nsec seconds for the semaphore, the caller's signals
 * notwithstanding.  Returns 1 if it was posted in time, 0 if not.
 */
static int wait_answer(sem_t *done, int nsec)
{
	struct timespec deadline;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += nsec;
	while ((rc = sem_clockwait(done, CLOCK_MONOTONIC, &deadline)) < 0 && errno == EINTR)
		;
	return rc == 0;
}

int getnameinfo_timeo(const struct sockaddr *sa, socklen_t salen,
		      char *host, socklen_t hostlen, char *serv, socklen_t servlen,
		      int flags, int nsec)
{
	struct answer *ans;
	size_t size;
	pid_t pid;
	int answered, rc;

	if (nsec <= 0 || (flags & NI_NUMERICHOST))
		return getnameinfo(sa, salen, host, hostlen, serv, servlen, flags);
	if (host == NULL)
		hostlen = 0;
	if (serv == NULL)
		servlen = 0;
	size = sizeof(*ans) + hostlen + servlen;
	ans = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ans == MAP_FAILED)
		return EAI_MEMORY;
	if (sem_init(&ans->done, 1, 0) < 0 || (pid = fork()) < 0) {
		munmap(ans, size);
		return EAI_SYSTEM;
	}
	if (pid == 0) {
		ans->rc = getnameinfo(sa, salen, host ? ans->text : NULL, hostlen,
				      serv ? ans->text + hostlen : NULL, servlen, flags);
		ans->errnum = errno;
		sem_post(&ans->done);
		_exit(0);
	}

	if (!(answered = wait_answer(&ans->done, nsec)))
		kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (answered) {
		if (hostlen > 0)
			memcpy(host, ans->text, hostlen);
		if (servlen > 0)
			memcpy(serv, ans->text + hostlen, servlen);
		rc = ans->rc;
		errno = ans->errnum;
	} else {
		rc = numeric_answer(sa, host, hostlen, serv, servlen, flags);
	}
	sem_destroy(&ans->done);
	munmap(ans, size);
	return rc;
}
