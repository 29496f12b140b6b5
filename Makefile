# vae: variational autoencoders as Unix filters.
.SECONDARY:
.SUFFIXES:

# The version is lib/vae.h's VAE_VERSION, and nowhere else.
VERSION != sed -n 's/^\#define VAE_VERSION "\(.*\)"$$/\1/p' lib/vae.h
PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man
PKG_CONFIG = pkg-config

CC = cc
CFLAGS = -std=c11 -O3 -fno-math-errno -g -Wall -Wextra -Wpedantic -pthread
# lib/likelihood.c alone: vector expf and log1pf from glibc's libmvec
FAST_MATH = -ffast-math
# The library's arithmetic is what its source says, so that portable mode
# (lib/portable.c) gives the same bytes on every host: a*b + c is never
# fused into one FMA where a CPU has it.  GCC in ISO C mode already fuses
# nothing; clang and other modes would.  Apart from CFLAGS, which CI sets.
FP_EXACT = -ffp-contract=off
CPPFLAGS = -D_POSIX_C_SOURCE=200809L -Ilib `$(PKG_CONFIG) --cflags zlib openblas` $(DNNL_CPPFLAGS_$(DNNL))
LDLIBS = `$(PKG_CONFIG) --libs zlib openblas` $(DNNL_LIBS_$(DNNL)) -lcsv -lm -lpthread

# oneDNN (Debian's libdnnl-dev, which has no pkg-config file) gives the
# bf16 products of --compute bf16 (lib/bf16.c), which opens it with
# dlopen when bf16 is asked for.  It is used when the compiler finds its
# header, unless make DNNL= says not to; without it the build and the
# tests pass, and --compute bf16 says so and runs f32.  As with MPI, make
# clean first when switching.
DNNL != printf '\#include <oneapi/dnnl/dnnl.h>\n' | $(CC) -E -x c - > /dev/null 2>&1 && echo 1 || true
DNNL_CPPFLAGS_1 = -DVAE_DNNL
DNNL_LIBS_1 = -ldl

# Each object's header prerequisites are in its .d file, written as it compiles.
DEPFLAGS = -MMD -MP

# Every lib/*.c is in the library; every cmd/*.c but the programs' own
# cmd/vae-*.c and cmd/mpi.c is linked into every program.
LIB_OBJ = $(patsubst %.c,%.o,$(wildcard lib/*.c)) lib/likelihood_portable.o
PROGS = vae-fit vae-enc vae-dec vae-score vae-sample vae-info vae-impute
CLI_OBJ = $(patsubst %.c,%.o,$(filter-out cmd/vae-%.c cmd/mpi.c,$(wildcard cmd/*.c)))

# make MPI=1: vae-fit trains data-parallel under mpirun, with cmd/mpi.c
# and Open MPI (Debian's libopenmpi-dev); the library and the other
# programs are the same either way.  MPI_PC names another MPI's pkg-config.
# As with CFLAGS, make clean first: objects built the other way are reused.
MPI =
MPI_PC = ompi-c
MPI_CPPFLAGS_1 = -DVAE_MPI `$(PKG_CONFIG) --cflags $(MPI_PC)`
MPI_OBJ_1 = cmd/mpi.o
MPI_LIBS_1 = `$(PKG_CONFIG) --libs $(MPI_PC)`

DEPS = zlib1g-dev libcsv-dev libopenblas-dev pkg-config mandoc python3-numpy pngcheck \
       dataset-fashion-mnist clang bash-completion gnuplot-nox python3-pandas miller parallel \
       libopenmpi-dev openmpi-bin libdnnl-dev
MAN1 = man/vae-fit.1 man/vae-enc.1 man/vae-dec.1 man/vae-score.1 man/vae-sample.1 man/vae-info.1 \
       man/vae-impute.1

# The shared library: libvae.so.VERSION, named by its soname libvae.so.0
# (the ABI's major version) and libvae.so for the linker; it exports the
# vae_ functions alone (lib/vae.map).  The programs link libvae.a.
SOMAJOR = 0
SHLIB = libvae.so.$(VERSION)
# The bash completion goes in under each program's name, where
# bash-completion looks for it when the name is first completed.
COMPLETIONDIR = $(PREFIX)/share/bash-completion/completions

all: $(PROGS) libvae.a $(SHLIB) vae.pc

# Install the Debian packages that are missing (as root, or through sudo).
deps:
	@missing=; for p in $(DEPS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		echo "installing:$$missing"; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing > /dev/null; \
	fi

# vae.pc says PREFIX, so it is rewritten whenever PREFIX differs from the
# last build's (make; make install PREFIX=/opt/x), which vae.pc.prefix keeps.
vae.pc: vae.pc.in vae.pc.prefix lib/vae.h Makefile
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' -e 's|@DNNL_LIBS@|$(DNNL_LIBS_$(DNNL)) |' vae.pc.in > $@

vae.pc.prefix: FORCE
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' > $@

FORCE:

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	         $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(MANPREFIX)/man1 $(DESTDIR)$(MANPREFIX)/man5 \
	         $(DESTDIR)$(MANPREFIX)/man7
	cp -f $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	cp -f libvae.a $(SHLIB) $(DESTDIR)$(PREFIX)/lib/
	ln -sf $(SHLIB) $(DESTDIR)$(PREFIX)/lib/libvae.so.$(SOMAJOR)
	ln -sf libvae.so.$(SOMAJOR) $(DESTDIR)$(PREFIX)/lib/libvae.so
	mkdir -p $(DESTDIR)$(COMPLETIONDIR)
	for p in $(PROGS); do cp -f completion/vae.bash $(DESTDIR)$(COMPLETIONDIR)/$$p; done
	cp -f lib/vae.h $(DESTDIR)$(PREFIX)/include/
	cp -f vae.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/
	cp -f $(MAN1) $(DESTDIR)$(MANPREFIX)/man1/
	cp -f man/vae-model.5 $(DESTDIR)$(MANPREFIX)/man5/
	cp -f man/vae.7 $(DESTDIR)$(MANPREFIX)/man7/

uninstall:
	cd $(DESTDIR)$(PREFIX)/bin && rm -f $(PROGS)
	cd $(DESTDIR)$(COMPLETIONDIR) && rm -f $(PROGS)
	rm -f $(DESTDIR)$(PREFIX)/lib/$(SHLIB) $(DESTDIR)$(PREFIX)/lib/libvae.so.$(SOMAJOR) \
	      $(DESTDIR)$(PREFIX)/lib/libvae.so
	rm -f $(DESTDIR)$(PREFIX)/lib/libvae.a $(DESTDIR)$(PREFIX)/include/vae.h \
	      $(DESTDIR)$(PREFIX)/lib/pkgconfig/vae.pc $(DESTDIR)$(MANPREFIX)/man5/vae-model.5 \
	      $(DESTDIR)$(MANPREFIX)/man7/vae.7
	cd $(DESTDIR)$(MANPREFIX)/man1 && rm -f $(PROGS:=.1)

libvae.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(SHLIB): $(LIB_OBJ) lib/vae.map
	$(CC) -shared -Wl,-soname,libvae.so.$(SOMAJOR) -Wl,--version-script=lib/vae.map $(LDFLAGS) \
		-o $@ $(LIB_OBJ) $(LDLIBS)

# The library's objects serve libvae.a and libvae.so alike: position
# independent code, which costs x86-64 next to nothing.
lib/%.o: lib/%.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC $(FP_EXACT) $(DEPFLAGS) -c -o $@ $<

lib/likelihood.o: lib/likelihood.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC $(FAST_MATH) $(DEPFLAGS) -c -o $@ lib/likelihood.c

# The same source again for portable mode: no fast math, no clones.
lib/likelihood_portable.o: lib/likelihood.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC $(FP_EXACT) -DVI_PORTABLE_BUILD $(DEPFLAGS) -c -o $@ lib/likelihood.c

cmd/%.o: cmd/%.c
	$(CC) $(CPPFLAGS) $(MPI_CPPFLAGS_$(MPI)) $(CFLAGS) $(DEPFLAGS) -c -o $@ $<

vae-fit: cmd/vae-fit.o $(CLI_OBJ) $(MPI_OBJ_$(MPI)) libvae.a
	$(CC) $(LDFLAGS) -o $@ cmd/vae-fit.o $(CLI_OBJ) $(MPI_OBJ_$(MPI)) libvae.a $(LDLIBS) \
		$(MPI_LIBS_$(MPI))

vae-%: cmd/vae-%.o $(CLI_OBJ) libvae.a
	$(CC) $(LDFLAGS) -o $@ $< $(CLI_OBJ) libvae.a $(LDLIBS)

clean:
	rm -f $(PROGS) libvae.a libvae.so.* lib/*.o cmd/*.o $(UNIT) tests/blas-rows vae.pc vae.pc.prefix $(BENCH_BIN)
	rm -f lib/*.d cmd/*.d tests/*.d tests/unit/*.d bench/*.d
	rm -f $(FUZZ_REPLAY) $(FUZZ_BIN)
	rm -rf tests/out tests/fuzz/obj

.PHONY: all clean deps install uninstall FORCE

-include $(wildcard lib/*.d cmd/*.d tests/*.d tests/unit/*.d bench/*.d tests/fuzz/obj/*.d)

# ---- tests ----
# Every tests/unit/test-NAME.c is a unit test program.
UNIT = $(patsubst %.c,%,$(wildcard tests/unit/test-*.c))
# Every tests/fuzz/NAME.c in FUZZ is a libFuzzer harness (fuzzing, below);
# set before check, whose prerequisites are expanded as it is read.
FUZZ = text npy idx gzip model table
FUZZ_REPLAY = $(FUZZ:%=tests/fuzz/%-replay)

tests/unit/test-%: tests/unit/test-%.c libvae.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -MF $@.d $(LDFLAGS) -o $@ $< libvae.a $(LDLIBS)

# Whether OpenBLAS rounds a row by its place in a block: the determinism
# tests ask it before they compare blockings byte for byte.  BLAS alone.
tests/blas-rows: tests/blas-rows.c
	$(CC) `$(PKG_CONFIG) --cflags openblas` $(CFLAGS) $(DEPFLAGS) -MF $@.d $(LDFLAGS) \
		-o $@ tests/blas-rows.c `$(PKG_CONFIG) --libs openblas`

# The compiler and flags go to the tests that build a program of their own.
check: all $(UNIT) tests/blas-rows $(FUZZ_REPLAY)
	CC='$(CC)' CFLAGS='$(CFLAGS)' LDFLAGS='$(LDFLAGS)' sh tests/run

# ---- fuzzing ----
# make check builds each tests/fuzz/NAME.c in FUZZ with the normal compiler
# as tests/fuzz/NAME-replay, which runs files through it once
# (tests/cli/fuzz-regress.sh); make fuzz builds each with clang and
# libFuzzer as tests/fuzz/NAME-fuzz, over the library compiled again with
# coverage into tests/fuzz/obj/, and runs each for FUZZ_SECONDS (FUZZ_JOBS
# at a time) from a scratch copy of its seeds.  See tests/README.
FUZZ_BIN = $(FUZZ:%=tests/fuzz/%-fuzz)
FUZZ_OBJ = $(patsubst lib/%.c,tests/fuzz/obj/%.o,$(wildcard lib/*.c)) tests/fuzz/obj/likelihood_portable.o
FUZZ_CC = clang
FUZZ_CFLAGS = -std=c11 -O1 -g -fno-omit-frame-pointer -pthread -fno-sanitize-recover=undefined
FUZZ_SANITIZE = address,undefined
FUZZ_SECONDS = 60
FUZZ_JOBS = 1

tests/fuzz/%-replay: tests/fuzz/%.c tests/fuzz/replay.c tests/fuzz/fuzz.h lib/vae.h libvae.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ tests/fuzz/$*.c tests/fuzz/replay.c libvae.a $(LDLIBS)

tests/fuzz/obj/%.o: lib/%.c
	@mkdir -p tests/fuzz/obj
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(FP_EXACT) -fsanitize=fuzzer-no-link,$(FUZZ_SANITIZE) $(DEPFLAGS) -c -o $@ $<

tests/fuzz/obj/likelihood.o: lib/likelihood.c
	@mkdir -p tests/fuzz/obj
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(FAST_MATH) -fsanitize=fuzzer-no-link,$(FUZZ_SANITIZE) \
		$(DEPFLAGS) -c -o $@ lib/likelihood.c

tests/fuzz/obj/likelihood_portable.o: lib/likelihood.c
	@mkdir -p tests/fuzz/obj
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(FP_EXACT) -DVI_PORTABLE_BUILD \
		-fsanitize=fuzzer-no-link,$(FUZZ_SANITIZE) $(DEPFLAGS) -c -o $@ lib/likelihood.c

tests/fuzz/%-fuzz: tests/fuzz/%.c tests/fuzz/fuzz.h lib/vae.h $(FUZZ_OBJ)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer,$(FUZZ_SANITIZE) -o $@ \
		tests/fuzz/$*.c $(FUZZ_OBJ) $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

# tests/fuzz/run.sh skips (exit 0) when FUZZ_CC cannot link libFuzzer, else
# builds fuzz-build and fails on any crash, leak, timeout or allocation over
# the limits.
fuzz:
	@FUZZ_SECONDS='$(FUZZ_SECONDS)' FUZZ_JOBS='$(FUZZ_JOBS)' FUZZ_CC='$(FUZZ_CC)' \
		FUZZ='$(FUZZ)' MAKE='$(MAKE)' sh tests/fuzz/run.sh

# Benchmarks: timings and ratios, never pass/fail (the machines are shared).
BENCH_BIN = bench/epoch bench/csvtok

bench/epoch: bench/epoch.c libvae.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -MF $@.d $(LDFLAGS) -o $@ bench/epoch.c libvae.a $(LDLIBS)

bench/csvtok: bench/csvtok.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -MF $@.d $(LDFLAGS) -o $@ bench/csvtok.c -lcsv

bench: all $(BENCH_BIN)
	sh bench/rss.sh
	sh bench/fashion.sh
	sh bench/perf.sh
	/usr/bin/python3 bench/oneclass.py

# Mixed tables: imputation on real tables and anomalies in a web log,
# beside scikit-learn's imputers and detectors (python3-sklearn).
bench-tables: all
	/usr/bin/python3 bench/impute.py
	sh bench/weblog.sh

# Training beyond memory: Fashion-MNIST 10 times over (600,000 rows) in
# memory and through --memory 256M (peak RSS, epoch time, test -ELBO; some
# minutes, and 2.4 GB in TMPDIR).
bench-memory: all
	sh bench/memory.sh

# vae-fit's steps per second under mpirun at 1, 2 and 4 processes
# (make bench-mpi MPI=1).
bench-mpi: all
	sh bench/mpi.sh

# One-class anomaly detection on real tables and Fashion-MNIST, beside
# IsolationForest, LOF and PCA (python3-sklearn; a few minutes).
bench-anomaly: all
	/usr/bin/python3 bench/anomaly.py

# Two stochastic levels against one on Fashion-MNIST, at about the same
# parameters and budget (4 fits; EPOCHS, SEEDS; some minutes a fit).
bench-levels: all
	sh bench/levels.sh

# bf16 products against f32 on Fashion-MNIST: test -ELBO, z = mu and IWAE
# over seeds 1-5, fitted and scored in each (10 fits; about 5 minutes).
bench-compute: all
	sh bench/compute.sh

# Semi-supervised classification (vae-fit --label, M2) on Fashion-MNIST with
# 100 and 1,000 labels, beside logistic regression and 5-NN on the labelled
# rows and label spreading (python3-sklearn; six fits on the 60,000 images,
# about 11 minutes, 19 with --m1; SEMISUP_OPTS adds options, as --m1 or
# --labels 100 --draws 1), then the same on scikit-learn's digits (seconds),
# then consistency-trained MLPs on the same draws when python3 has torch
# (about 12 minutes).
bench-semisup: all
	/usr/bin/python3 bench/semisup.py $(SEMISUP_OPTS)
	/usr/bin/python3 bench/semisup-digits.py
	if /usr/bin/python3 -c 'import torch' 2> /dev/null; then \
		/usr/bin/python3 bench/semisup-consistency.py; \
	else echo "semisup-consistency.py: skipped, /usr/bin/python3 cannot import torch"; fi

.PHONY: check bench bench-tables bench-anomaly bench-memory bench-levels bench-semisup bench-mpi \
	bench-compute \
	fuzz fuzz-build
