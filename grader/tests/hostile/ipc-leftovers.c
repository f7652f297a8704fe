/*
 * Hostile: at every run, makes a SysV shared memory segment of 1 GiB, a
 * semaphore set and a message queue with a message in it, and leaves them
 * all.  They die with the sandbox's IPC namespace when the run ends: the
 * class's leftovers test finds none of them (ipcs).
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 36
 */
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

__attribute__((constructor)) static void hostile(void)
{
	struct {
		long mtype;
		char mtext[64];
	} msg = {1, "hostile"};
	int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);

	(void)shmget(IPC_PRIVATE, 1UL << 30, IPC_CREAT | 0600);
	(void)semget(IPC_PRIVATE, 16, IPC_CREAT | 0600);
	if (q >= 0)
		(void)msgsnd(q, &msg, sizeof msg.mtext, IPC_NOWAIT);
}
