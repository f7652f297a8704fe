# The kit's entry points.  `make help` lists them.

SUBMISSION ?= labs
OUT        ?= out
LAB        ?=
FILTER     ?=
HOST       ?= dscli
JOBS       ?= 2
NET        ?= netns

# The lab network's backend, for grade, net-up, shell, bench-net: NET=docker
# runs it in Docker containers (docker/compose.yaml) instead of namespaces.
export LABNET_BACKEND = $(NET)

# $(call q,TEXT): TEXT as one word of the shell, whatever it holds (a
# LAB or OUT given on the command line is data, never a command).
q = '$(subst ','\'',$(1))'

LAB_DIRS := $(sort $(wildcard labs/[0-9][0-9]-* solutions/[0-9][0-9]-*))

all: $(LAB_DIRS)

$(LAB_DIRS):
	$(MAKE) -C $@

help:
	@echo 'make               build every lab, handout and reference'
	@echo 'make grade         grade your work in labs/ (LAB=addrclass or LAB=01 for one lab,'
	@echo '                   SUBMISSION=dir for another copy, FILTER=regex for some tests)'
	@echo 'make test          the kit'"'"'s own tests'
	@echo 'make test-docker   the docker backend'"'"'s tests (sets Docker up; long)'
	@echo 'make labs          regenerate labs/ from solutions/'
	@echo 'make grade-all SUBMISSIONS=dir OUT=dir [JOBS=2]   grade a class into a gradebook'
	@echo 'make handout       dist/ipv6-labs.tar.gz: the kit without solutions and hidden tests'
	@echo 'make gradescope    dist/gradescope-autograder.zip: the handout as a Gradescope autograder'
	@echo 'make net-up        bring the lab network up; make shell HOST=v6cli; make net-down'
	@echo 'make bench         time grading: each lab, the whole run, grade-all -j 1 and -j 2'
	@echo '                   (CLASS_LAB=01: grade-all on that lab only; NO_CLASS=1: no grade-all)'
	@echo 'make bench-net     time the network up and down'
	@echo '                   (NET=docker: the lab network in Docker, for grade, net-up, shell, bench-net)'
	@echo 'make clean         remove what the build and the grader wrote'

grade:
	grader/grade --submission $(call q,$(SUBMISSION)) --out $(call q,$(OUT))$(if $(LAB), --lab $(call q,$(LAB)))$(if $(FILTER), --filter $(call q,$(FILTER)))

# Two test files at a time; instructor.bats, the longest, first, so that
# it does not end last.
test:
	@test -d grader/tests || { echo "make test: the kit's own tests are not part of the handout"; exit 1; }
	grader/prereqs test
	bats --timing --jobs 2 --no-parallelize-within-files grader/tests/instructor.bats \
		$(filter-out grader/tests/instructor.bats,$(wildcard grader/tests/*.bats))

test-docker:
	docker/engine
	KIT_TEST_DOCKER=1 bats --timing grader/tests/docker.bats grader/tests/gradescope.bats

grade-all:
	@test -n $(call q,$(SUBMISSIONS)) || { echo 'usage: make grade-all SUBMISSIONS=dir OUT=dir [JOBS=2]'; exit 2; }
	grader/grade-all -j $(call q,$(JOBS)) $(call q,$(SUBMISSIONS)) $(call q,$(OUT))

handout:
	grader/mkhandout dist

gradescope:
	grader/mkgradescope dist

labs:
	grader/mklabs solutions labs

net-up:
	grader/net up

net-down:
	grader/net down

shell:
	grader/net shell $(call q,$(HOST))

bench-net:
	grader/bench-net

bench:
	grader/bench$(if $(CLASS_LAB), --class-lab $(call q,$(CLASS_LAB)))$(if $(NO_CLASS), --no-class)

clean:
	for dir in $(LAB_DIRS); do $(MAKE) -C $$dir clean; done
	rm -f labs/common/*.o solutions/common/*.o
	rm -rf out

.PHONY: all help bench grade grade-all handout gradescope test test-docker labs net-up net-down shell bench-net clean $(LAB_DIRS)
