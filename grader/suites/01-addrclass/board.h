/*
 * board.h - the memory the check (the judge, which holds no student code)
 * shares with check-worker (which holds the student's in6class.c): the
 * addresses to classify, then each function's answers and how its run
 * ended.  The worker finds it on descriptor BOARD_FD.
 *
 * The worker can write anything here, but only about its own answers: the
 * judge alone compares them with the system macros and prints verdicts,
 * in a process into which no student code is linked (a student's printf
 * or constructor cannot reach it).
 */
#ifndef BOARD_H
#define BOARD_H

#include <stddef.h>
#include <netinet/in.h>

#include "classes.h"

#define BOARD_FD 3
#define SECONDS_PER_FUNCTION 5
#define NCLASSES 12
#define NOT_RUN (-1)    /* status[i] before function i's run ended */
#define NO_ANSWER 3     /* answers[k] before the function answered for k */

struct board {
	long naddrs;
	int status[NCLASSES]; /* wait status of the process that ran function i */
};

static inline size_t board_size(long naddrs)
{
	return sizeof(struct board) + (size_t)naddrs * (sizeof(struct in6_addr) + NCLASSES);
}

static inline struct in6_addr *board_addrs(struct board *b)
{
	return (struct in6_addr *)(b + 1);
}

/* answers[k] for function i: 1 or 0, -1 (not implemented yet), 2 (any
 * other value) or NO_ANSWER. */
static inline signed char *board_answers(struct board *b, int i)
{
	return (signed char *)(board_addrs(b) + b->naddrs) + (size_t)i * (size_t)b->naddrs;
}

#endif
