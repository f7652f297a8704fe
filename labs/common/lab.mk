# lab.mk - the build every lab shares.  A lab's Makefile names its
# programs, the files the student edits, and each program's objects:
#
#   PROGRAMS      = addrclass
#   STUDENT_FILES = in6class.c addrclass.c
#   addrclass: addrclass.o in6class.o
#   include ../common/lab.mk
#
# STUDENT_FILES, the files a submission may replace (everything else comes
# from the kit), is one line the grader reads as it is written.
#
# Every object is built in the lab's folder, the common ones included, and
# the folder remembers what built it last (.built-on: system, host name,
# machine): the laptop, or a host of the lab network in Docker, which sees
# the same folder.  A build on another starts afresh, so that no object or
# program of one is ever linked or run on the other.

COMMON  := $(dir $(lastword $(MAKEFILE_LIST)))
CC      ?= cc
CFLAGS  ?= -std=c11 -Wall -Wextra -Werror -g
CPPFLAGS += -I$(COMMON)
LDLIBS  +=

BUILT_ON := $(shell uname -snm)
ifneq ($(BUILT_ON),$(shell cat .built-on 2>/dev/null))
$(shell rm -f $(PROGRAMS) *.o; echo '$(BUILT_ON)' >.built-on)
endif

all: $(PROGRAMS)

$(PROGRAMS): labutil.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

%.o: %.c $(wildcard *.h) $(COMMON)labutil.h
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

labutil.o: $(COMMON)labutil.c $(COMMON)labutil.h
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

clean:
	rm -f $(PROGRAMS) *.o .built-on

.PHONY: all clean
