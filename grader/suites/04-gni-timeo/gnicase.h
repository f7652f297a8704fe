/*
 * gnicase.h - what gnidriver (the judge) and gniworker (the worker, which
 * holds the student's gni_timeo.c) share: the cases, the time limits, and
 * the board, memory they share on descriptor BOARD_FD of the worker.
 */
#ifndef GNICASE_H
#define GNICASE_H

#include <stdatomic.h>
#include <stddef.h>
#include <sys/socket.h>

/*
 * The time limits.  A call that times out must return between NSEC - EARLY
 * and NSEC + SLACK seconds.  SLACK is generous on purpose: the call runs
 * under valgrind, beside the grader's other runs, on a machine that may be
 * busy, and there forking the lookup and reaping it was seen to take up to
 * 4.6 s on top of NSEC (0.3 s on a quiet machine).  It still tells a call
 * that times out from one that does not, by far: the resolver is told to
 * wait 5 s per attempt and 4 attempts (RESOLVER), 20 s, where the suite's
 * timed-out calls have NSEC 1 and may take 5 s.  The judge stops a call at
 * NSEC + SLACK and a little more, so that long wait costs no time.
 */
#define EARLY 0.1     /* seconds a call may give up before NSEC */
#define SLACK 4.0     /* seconds a call may take past NSEC */
#define NOLIMIT 12.0  /* seconds a call with no limit (NSEC <= 0) may take */
#define GRACE 1.0     /* seconds more the judge gives a case */
#define RESOLVER "timeout:5 attempts:4"
#define PORT 13

enum {
	HOSTLEN = 1025, SERVLEN = 32, SMALL_HOSTLEN = 8, MAX_FDS = 256,
	WHY_LEN = 512, LINE_LEN = WHY_LEN + 2 * HOSTLEN, TOKEN_LEN = 128,
	CALLER_ALARM = 60, MAX_JOBS = 16,
};

struct test_case {
	const char *label, *kind, *when, *addr, *expect;
	int nsec, calls;
};

/* What a worker records of each call. */
struct record {
	int rc;
	double elapsed;
	char host[HOSTLEN], serv[SERVLEN];
	char why[WHY_LEN];  /* why the case failed; empty while it passes */
};

#define BOARD_FD 3

/* How far a case has come, on the board that workers and judge share. */
struct progress {
	int records;          /* calls made so far; the last one's record: */
	struct record last;
	double started;       /* when its first call began */
	double blocked;       /* contrast: seconds the call was still blocked
				 when the worker stopped it (0: it returned) */
	int done;
};

/* How long a contrast call must stay blocked (WHEN is blocks). */
#define BLOCKS(tc) ((tc)->nsec + SLACK + 1)

/*
 * The board (MAP_SHARED): workers take the cases in turn from `next`, say
 * which one they are at in `current` (by slot), and record their calls.
 */
struct board {
	atomic_int next;
	atomic_int current[MAX_JOBS];  /* -1: none yet */
	struct progress cases[];
};

static inline size_t board_size(int ncases)
{
	return sizeof(struct board) + (size_t)ncases * sizeof(struct progress);
}

double now(void);
const char *rc_name(int rc);
/* ADDR with port 13 into *ss; its length, or 0 when ADDR is no address. */
socklen_t make_sockaddr(const char *addr, struct sockaddr_storage *ss);
/* Splits LABEL=KIND,NSEC,WHEN,ADDR,EXPECT (in place); 0 when malformed. */
int parse_case(char *text, struct test_case *tc);

#endif
