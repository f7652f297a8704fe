#!/usr/bin/env bats
# The nat64-literal grader against nat64cli wrong in one known way: each
# loses exactly the tests whose path shows its mistake.

load meta

@test "a client that always uses the well-known prefix 64:ff9b::/96 loses every test that connects through the lab's NAT64" { check_broken 07-nat64-literal/well-known-prefix; }
@test "a client that embeds the IPv4 address in host byte order loses every test that connects through the NAT64" { check_broken 07-nat64-literal/byte-order; }
@test "a client that leaves the socket of a failed connect open loses only the valgrind test" { check_broken 07-nat64-literal/socket-leak; }
@test "a client that falls back to the IPv4-mapped address when there is no prefix loses only the test without DNS64" { check_broken 07-nat64-literal/mapped-fallback; }
