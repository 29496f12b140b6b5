# vae: variational autoencoders as Unix filters.
.SECONDARY:
.SUFFIXES:

VERSION = 0.1.0
PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man
PKG_CONFIG = pkg-config

CC = cc
CFLAGS = -std=c11 -O2 -g -Wall -Wextra -Wpedantic
CPPFLAGS = -D_POSIX_C_SOURCE=200809L -Ilib `$(PKG_CONFIG) --cflags zlib openblas`
LDLIBS = `$(PKG_CONFIG) --libs zlib openblas` -lcsv -lm

LIB_OBJ = lib/err.o lib/rng.o lib/gemm.o lib/layer.o lib/net.o lib/vae.o lib/optim.o \
          lib/model.o lib/scale.o lib/io.o lib/io_csv.o
LIB_HDR = lib/vae.h lib/internal.h lib/io.h
PROGS = vae-fit vae-enc vae-dec vae-score vae-sample vae-info
CLI_OBJ = cmd/cli.o

all: $(PROGS) libvae.a

libvae.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

lib/%.o: lib/%.c $(LIB_HDR)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

cmd/%.o: cmd/%.c cmd/cli.h lib/vae.h
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

vae-%: cmd/vae-%.o $(CLI_OBJ) libvae.a
	$(CC) $(LDFLAGS) -o $@ $< $(CLI_OBJ) libvae.a $(LDLIBS)

clean:
	rm -f $(PROGS) libvae.a lib/*.o cmd/*.o tests/unit/*.o tests/unit/test-* vae.pc

.PHONY: all clean

# ---- tests ----
UNIT = tests/unit/test-grad tests/unit/test-model

tests/unit/test-%: tests/unit/test-%.c tests/unit/check.h libvae.a
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< libvae.a $(LDLIBS)

check: all $(UNIT)
	sh tests/run

.PHONY: check
