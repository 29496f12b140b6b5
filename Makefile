# vae: variational autoencoders as Unix filters.
.SECONDARY:
.SUFFIXES:

VERSION = 0.1.0
PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man
PKG_CONFIG = pkg-config

CC = cc
CFLAGS = -std=c11 -O3 -fno-math-errno -g -Wall -Wextra -Wpedantic -pthread
# lib/likelihood.c alone: vector expf and log1pf from glibc's libmvec
FAST_MATH = -ffast-math
CPPFLAGS = -D_POSIX_C_SOURCE=200809L -Ilib `$(PKG_CONFIG) --cflags zlib openblas`
LDLIBS = `$(PKG_CONFIG) --libs zlib openblas` -lcsv -lm -lpthread

LIB_OBJ = lib/err.o lib/rng.o lib/gemm.o lib/layer.o lib/net.o lib/vae.o lib/likelihood.o lib/optim.o lib/team.o lib/crc.o \
          lib/model.o lib/scale.o lib/source.o lib/read.o lib/read_text.o lib/read_tensor.o lib/io_write.o lib/number.o lib/file.o
LIB_HDR = lib/vae.h lib/internal.h lib/read.h lib/number.h
PROGS = vae-fit vae-enc vae-dec vae-score vae-sample vae-info
CLI_OBJ = cmd/cli.o

DEPS = zlib1g-dev libcsv-dev libopenblas-dev pkg-config mandoc python3-numpy pngcheck \
       dataset-fashion-mnist
MAN1 = man/vae-fit.1 man/vae-enc.1 man/vae-dec.1 man/vae-score.1 man/vae-sample.1 man/vae-info.1

all: $(PROGS) libvae.a vae.pc

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

vae.pc: vae.pc.in Makefile
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' vae.pc.in > $@

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	         $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(MANPREFIX)/man1 $(DESTDIR)$(MANPREFIX)/man5
	cp -f $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	cp -f libvae.a $(DESTDIR)$(PREFIX)/lib/
	cp -f lib/vae.h $(DESTDIR)$(PREFIX)/include/
	cp -f vae.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/
	cp -f $(MAN1) $(DESTDIR)$(MANPREFIX)/man1/
	cp -f man/vae-model.5 $(DESTDIR)$(MANPREFIX)/man5/

uninstall:
	cd $(DESTDIR)$(PREFIX)/bin && rm -f $(PROGS)
	rm -f $(DESTDIR)$(PREFIX)/lib/libvae.a $(DESTDIR)$(PREFIX)/include/vae.h \
	      $(DESTDIR)$(PREFIX)/lib/pkgconfig/vae.pc $(DESTDIR)$(MANPREFIX)/man5/vae-model.5
	cd $(DESTDIR)$(MANPREFIX)/man1 && rm -f $(PROGS:=.1)

libvae.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

lib/%.o: lib/%.c $(LIB_HDR)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

lib/likelihood.o: lib/likelihood.c $(LIB_HDR)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(FAST_MATH) -c -o $@ lib/likelihood.c

cmd/%.o: cmd/%.c cmd/cli.h lib/vae.h
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

vae-%: cmd/vae-%.o $(CLI_OBJ) libvae.a
	$(CC) $(LDFLAGS) -o $@ $< $(CLI_OBJ) libvae.a $(LDLIBS)

clean:
	rm -f $(PROGS) libvae.a lib/*.o cmd/*.o $(UNIT) vae.pc bench/epoch bench/csvtok
	rm -rf tests/out

.PHONY: all clean deps install uninstall

# ---- tests ----
UNIT = tests/unit/test-grad tests/unit/test-model tests/unit/test-write tests/unit/test-io tests/unit/test-parse

tests/unit/test-%: tests/unit/test-%.c tests/unit/check.h libvae.a
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< libvae.a $(LDLIBS)

check: all $(UNIT)
	sh tests/run

# Benchmarks: timings and ratios, never pass/fail (the machines are shared).
BENCH_BIN = bench/epoch bench/csvtok

bench/epoch: bench/epoch.c lib/internal.h lib/vae.h libvae.a
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ bench/epoch.c libvae.a $(LDLIBS)

bench/csvtok: bench/csvtok.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ bench/csvtok.c -lcsv

bench: all $(BENCH_BIN)
	sh bench/rss.sh
	sh bench/fashion.sh
	sh bench/perf.sh
	/usr/bin/python3 bench/oneclass.py

.PHONY: check bench
