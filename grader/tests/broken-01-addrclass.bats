#!/usr/bin/env bats
# The addrclass grader against submissions each wrong in one known way.

load meta

@test "a site-local mask of 12 bits loses only the site-local test" { check_broken 01-addrclass/sitelocal-slash12; }
@test "an IPv4-compatible test that accepts ::1 loses the v4compat test and every command that prints ::1" { check_broken 01-addrclass/v4compat-takes-loopback; }
@test "a classifier that leaks memory loses only the valgrind test" { check_broken 01-addrclass/leak-per-address; }
@test "an endless loop costs its function, the commands that hang, and valgrind, and nothing hangs" { check_broken 01-addrclass/endless-scope-loop; }
