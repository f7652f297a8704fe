/*
 * gnicase.c - what gnidriver and gniworker both need (see gnicase.h).
 */
#define _DEFAULT_SOURCE
#include "gnicase.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

const char *rc_name(int rc)
{
	static const struct { int rc; const char *name; } names[] = {
		{ 0, "0" }, { EAI_AGAIN, "EAI_AGAIN" }, { EAI_BADFLAGS, "EAI_BADFLAGS" },
		{ EAI_FAIL, "EAI_FAIL" }, { EAI_FAMILY, "EAI_FAMILY" },
		{ EAI_MEMORY, "EAI_MEMORY" }, { EAI_NONAME, "EAI_NONAME" },
		{ EAI_OVERFLOW, "EAI_OVERFLOW" }, { EAI_SYSTEM, "EAI_SYSTEM" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].rc == rc)
			return names[i].name;
	return "an unknown code";
}

socklen_t make_sockaddr(const char *addr, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(PORT);
		return sizeof(*sin);
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(PORT);
		return sizeof(*sin6);
	}
	return 0;
}

int parse_case(char *text, struct test_case *tc)
{
	char *eq = strchr(text, '='), *field[5], *save = NULL;
	struct sockaddr_storage ss;
	int n = 0;

	if (eq == NULL)
		return 0;
	*eq = '\0';
	tc->label = text;
	for (char *f = strtok_r(eq + 1, ",", &save); f != NULL && n < 5;
	     f = strtok_r(NULL, ",", &save))
		field[n++] = f;
	if (n != 5)
		return 0;
	tc->kind = field[0];
	tc->nsec = atoi(field[1]);
	tc->when = field[2];
	tc->addr = field[3];
	tc->expect = field[4];
	tc->calls = 1;
	if (strcmp(tc->kind, "survive") == 0)
		tc->calls = 2;
	else if (strncmp(tc->kind, "many", 4) == 0)
		tc->calls = atoi(tc->kind + 4);
	return tc->calls > 0 && make_sockaddr(tc->addr, &ss) != 0;
}
