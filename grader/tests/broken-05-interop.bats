#!/usr/bin/env bats
# The Figure 12.5 grader against labs 02 and 03 each wrong in one known way:
# each loses exactly the cells the book's reasoning says it must.

load meta

# The patches change the files of labs 02 and 03, which lab 05 builds:
# check_broken's submission needs those labs beside 05-interop.

@test "a client without AI_ALL loses the cells where an IPv6 client must fall back to a mapped address" { check_broken 05-interop/no-ai-all; }
@test "a client that gives up after the first address loses the same cells" { check_broken 05-interop/first-address-only; }
@test "a client that prints the trace without connecting loses every IPv6-client cell, those of the view with NAT64/DNS64 too" { check_broken 05-interop/trace-without-connecting; }
@test "a server that always sets IPV6_V6ONLY loses the IPv4 clients of ds6srv" { check_broken 05-interop/v6only-always; }
@test "a server that logs every peer as IPv6 loses the IPv4 clients of ds6srv" { check_broken 05-interop/ipv6-for-every-peer; }
@test "a server that listens with AF_INET loses its IPv6 clients, its mapped log lines, its -6 column and valgrind" { check_broken 05-interop/listens-af-inet; }
