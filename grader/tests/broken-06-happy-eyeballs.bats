#!/usr/bin/env bats
# The happy-eyeballs grader against hecli wrong in one known way: each loses
# exactly the tests whose broken path shows its mistake on the wire.

load meta

@test "a sequential loop (blocking connects) loses the dropped, 400-ms-late and both-dropped paths, and valgrind's test (it is killed)" { check_broken 06-happy-eyeballs/sequential; }
@test "a client that tries IPv4 first loses every test where the order shows on the wire" { check_broken 06-happy-eyeballs/ipv4-first; }
@test "a client that starts every attempt at once (no delay) loses the tests where IPv4 must wait for the delay or for IPv6's refusal" { check_broken 06-happy-eyeballs/no-delay; }
@test "a client that leaves the losing attempts open loses only the valgrind test" { check_broken 06-happy-eyeballs/attempts-not-closed; }
@test "a client that gives an attempt up when it starts the next loses only the test where IPv6 answers after IPv4 was started" { check_broken 06-happy-eyeballs/abandons-attempts; }
