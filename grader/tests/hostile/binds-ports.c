/*
 * Hostile: at every run, tries the privileged ports 13 and 80 (TCP and
 * UDP) and holds TCP port 8013 while it works, without SO_REUSEADDR.  In
 * the sandbox the privileged ones are refused and 8013 is always free (a
 * network of its own per run); were it otherwise, this code says so on
 * stdout and loses the command's tests.
 * Into: addrclass.c
 * Base: solutions
 * Expect-score: 36
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int held = -1;

static int bind_port(int type, int port)
{
	struct sockaddr_in6 sa;
	int fd = socket(AF_INET6, type, 0);

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sin6_family = AF_INET6;
	sa.sin6_port = htons((unsigned short)port);
	sa.sin6_addr = in6addr_any;
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

__attribute__((constructor)) static void hostile(void)
{
	static const int privileged[] = {13, 80};

	for (size_t i = 0; i < sizeof privileged / sizeof privileged[0]; i++) {
		for (int type = SOCK_STREAM; type <= SOCK_DGRAM; type++) {
			int fd = bind_port(type, privileged[i]);

			if (fd >= 0) {
				printf("hostile: bound privileged port %d\n", privileged[i]);
				close(fd);
			}
		}
	}
	held = bind_port(SOCK_STREAM, 8013);
	if (held < 0 || listen(held, 1) < 0)
		printf("hostile: port 8013 was taken\n");
}

__attribute__((destructor)) static void release(void)
{
	if (held >= 0)
		close(held);
}
