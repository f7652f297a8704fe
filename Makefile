# The kit's entry points.  `make help` lists them.

SUBMISSION ?= labs
OUT        ?= out
LAB        ?=
FILTER     ?=
HOST       ?= dscli

LAB_DIRS := $(sort $(wildcard labs/[0-9][0-9]-* solutions/[0-9][0-9]-*))

all: $(LAB_DIRS)

$(LAB_DIRS):
	$(MAKE) -C $@

help:
	@echo 'make               build every lab, handout and reference'
	@echo 'make grade         grade your work in labs/ (LAB=addrclass or LAB=01 for one lab,'
	@echo '                   SUBMISSION=dir for another copy, FILTER=regex for some tests)'
	@echo 'make test          the kit'"'"'s own tests'
	@echo 'make labs          regenerate labs/ from solutions/'
	@echo 'make net-up        bring the lab network up; make shell HOST=v6cli; make net-down'
	@echo 'make bench-net     time the network up and down'
	@echo 'make clean         remove what the build and the grader wrote'

grade:
	grader/grade --submission '$(SUBMISSION)' --out '$(OUT)' \
		$(if $(LAB),--lab '$(LAB)') $(if $(FILTER),--filter '$(FILTER)')

test:
	grader/prereqs test
	bats grader/tests

labs:
	grader/mklabs solutions labs

net-up:
	grader/net up

net-down:
	grader/net down

shell:
	grader/net shell '$(HOST)'

bench-net:
	grader/bench-net

clean:
	for dir in $(LAB_DIRS); do $(MAKE) -C $$dir clean; done
	rm -f labs/common/*.o solutions/common/*.o
	rm -rf out

.PHONY: all help grade test labs net-up net-down shell bench-net clean $(LAB_DIRS)
