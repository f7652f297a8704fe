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

COMMON  := $(dir $(lastword $(MAKEFILE_LIST)))
CC      ?= cc
CFLAGS  ?= -std=c11 -Wall -Wextra -Werror -g
CPPFLAGS += -I$(COMMON)
LDLIBS  +=

all: $(PROGRAMS)

$(PROGRAMS): $(COMMON)labutil.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

%.o: %.c $(wildcard *.h) $(COMMON)labutil.h
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

clean:
	rm -f $(PROGRAMS) *.o

.PHONY: all clean
