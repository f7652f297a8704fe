#!/usr/bin/env bats
# The mappedcli grader against a submission wrong in one known way.
# (The untouched skeleton: kit.bats; clients wrong about addresses: broken-05-interop.bats.)

load meta

@test "a client that never frees getaddrinfo's list loses only the valgrind test" { check_broken 03-mappedcli/no-freeaddrinfo; }
