/*
 * gaiprobe: show what getaddrinfo returns for a name.
 *
 *   gaiprobe [-f inet|inet6|unspec] [-m] [-a] NAME
 *
 * -f  the address family asked for (ai_family; default unspec)
 * -m  AI_V4MAPPED: with -f inet6, IPv4 addresses come back IPv4-mapped
 * -a  AI_ALL: with -m, return the mapped IPv4 addresses beside the IPv6 ones
 *
 * Prints one line per result, in getaddrinfo's order: FAMILY ADDRESS, e.g.
 * "inet6 ::ffff:192.0.2.10". Exits 2 with gai_strerror's message when the
 * lookup fails.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: gaiprobe [-f inet|inet6|unspec] [-m] [-a] NAME\n");
	exit(2);
}

static int parse_family(const char *name)
{
	if (strcmp(name, "inet") == 0)
		return AF_INET;
	if (strcmp(name, "inet6") == 0)
		return AF_INET6;
	if (strcmp(name, "unspec") == 0)
		return AF_UNSPEC;
	usage();
	return AF_UNSPEC;
}

static void print_address(const struct addrinfo *ai)
{
	char text[INET6_ADDRSTRLEN];
	const void *addr;

	if (ai->ai_family == AF_INET)
		addr = &((const struct sockaddr_in *)ai->ai_addr)->sin_addr;
	else
		addr = &((const struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
	if (inet_ntop(ai->ai_family, addr, text, sizeof(text)) == NULL) {
		perror("gaiprobe: inet_ntop");
		exit(1);
	}
	printf("%s %s\n", ai->ai_family == AF_INET ? "inet" : "inet6", text);
}

int main(int argc, char *argv[])
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res;
	int opt, err;

	while ((opt = getopt(argc, argv, "f:ma")) != -1) {
		switch (opt) {
		case 'f':
			hints.ai_family = parse_family(optarg);
			break;
		case 'm':
			hints.ai_flags |= AI_V4MAPPED;
			break;
		case 'a':
			hints.ai_flags |= AI_ALL;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();

	err = getaddrinfo(argv[optind], NULL, &hints, &res);
	if (err != 0) {
		fprintf(stderr, "gaiprobe: %s: %s\n", argv[optind], gai_strerror(err));
		return 2;
	}
	for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next)
		print_address(ai);
	freeaddrinfo(res);
	return 0;
}
