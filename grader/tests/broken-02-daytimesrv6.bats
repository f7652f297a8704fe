#!/usr/bin/env bats
# The daytimesrv6 grader against a submission wrong in one known way.
# (The untouched skeleton: kit.bats; servers wrong about mapped addresses: broken-05-interop.bats.)

load meta

@test "a server that never closes its connections loses only the valgrind test" { check_broken 02-daytimesrv6/leaks-each-connection; }
