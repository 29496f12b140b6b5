/* tests/fuzz/fuzz.h: what the harnesses share: the fuzzer's bytes as a file
 * the library opens by name, and a reader drained as a program would.
 *
 * The library takes paths, so each input is written to a memfd, an
 * in-memory regular file, and the library opens /proc/self/fd/N: no disk,
 * no size limit (a pipe holds 64 KiB, and the writer would block past
 * it), and the file is regular, so vae_model_load maps it as it maps a
 * model on disk.  It costs two system calls a run.  The memfd is closed
 * before the harness returns; a library that leaked descriptors would run
 * out of them within a thousand runs, and the harness aborts then. */
#ifndef FUZZ_H
#define FUZZ_H

#define _GNU_SOURCE             /* memfd_create */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vae.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fuzz_file {
	int fd;
	char path[40];
} fuzz_file;

/* The n bytes at p as a file named f->path; aborts when it cannot be made. */
static inline void fuzz_file_open(fuzz_file *f, const void *p, size_t n)
{
	const unsigned char *b = p;

	f->fd = memfd_create("vae-fuzz", MFD_CLOEXEC);
	if (f->fd < 0) {
		perror("memfd_create (a descriptor leak?)");
		abort();
	}
	while (n > 0) {
		ssize_t w = write(f->fd, b, n);
		if (w <= 0) {
			perror("write to the memfd");
			abort();
		}
		b += w;
		n -= (size_t)w;
	}
	snprintf(f->path, sizeof f->path, "/proc/self/fd/%d", f->fd);
}

static inline void fuzz_file_close(fuzz_file *f)
{
	close(f->fd);
}

/* How to read: decoded from two control bytes at the front of the input
 * (see tests/fuzz/README), so that the fuzzer mutates the options with the
 * data and a saved input replays the same way. */
typedef struct fuzz_ctl {
	vae_read_opts o;
	unsigned select;            /* one of the vae_reader_select calls below */
	size_t chunk;               /* rows per vae_reader_read */
	int keep_all;
} fuzz_ctl;

/* Decode the control bytes; format, when not VAE_FMT_AUTO, is forced.
 * @return how many bytes of data they took (0 when there are too few). */
static inline size_t fuzz_ctl_decode(fuzz_ctl *c, const uint8_t *data, size_t size, int format)
{
	static const int formats[4] = { VAE_FMT_AUTO, VAE_FMT_CSV, VAE_FMT_TSV, VAE_FMT_AUTO };
	static const int headers[4] = { VAE_HEADER_AUTO, VAE_HEADER_NO, VAE_HEADER_YES,
	                                VAE_HEADER_AUTO };
	static const int delims[4] = { 0, ',', '\t', ';' };
	static const size_t chunks[8] = { 1, 2, 3, 5, 8, 64, 257, 4096 };
	uint8_t a = size >= 2 ? data[0] : 0, b = size >= 2 ? data[1] : 0;

	c->o = vae_read_defaults();
	c->o.format = format != VAE_FMT_AUTO ? format : formats[a & 3];
	c->o.header = headers[a >> 2 & 3];
	/* byte 1's bits 6-7 are 1 for mask, which overrides bit 4 of byte 0;
	 * 0, 2 and 3 leave bit 4 to choose, so that inputs saved before mask
	 * existed (tests/fuzz/regress/gzip/fuzz-idx-row-too-big has both bits
	 * set) read as they did */
	c->o.missing = (b >> 6) == 1 ? VAE_MISSING_MASK
	             : a >> 4 & 1 ? VAE_MISSING_SKIP : VAE_MISSING_ERROR;
	c->select = a >> 5 & 7;
	c->chunk = chunks[b & 7];
	c->o.delim = delims[b >> 3 & 3];
	c->keep_all = b >> 5 & 1;
	return size >= 2 ? 2 : 0;
}

/* Select mode 7 takes its lists from the data: "FIELDS\0KEEP\0" before the
 * file's bytes.  @return the bytes they took (0 when there are no two NULs,
 * and the lists stay NULL). */
static inline size_t fuzz_lists(const uint8_t *data, size_t size, const char **fields, const char **keep)
{
	const uint8_t *z1 = memchr(data, 0, size), *z2;

	*fields = *keep = NULL;
	if (!z1 || !(z2 = memchr(z1 + 1, 0, size - (size_t)(z1 + 1 - data))))
		return 0;
	*fields = (const char *)data;
	*keep = (const char *)z1 + 1;
	return (size_t)(z2 + 1 - data);
}

/* Values a chunk may hold, at most: more and the harness, not the library,
 * would be what allocates too much. */
#define FUZZ_MAX_VALUES ((size_t)1 << 22)
/* Names asked for, at most: a binary row may be millions of values wide. */
#define FUZZ_MAX_NAMES 4096

static inline size_t fuzz_min(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* The vae_reader_select call c->select names (tests/fuzz/README), for a
 * reader of nf fields.  @return what it returned. */
static inline int fuzz_select(vae_reader *r, const fuzz_ctl *c, size_t nf, const char *fields,
                              const char *keep, vae_err *e)
{
	static const char *const abc[3] = { "a", "b", "c" }, *const ca[2] = { "c", "a" };

	switch (c->select) {
	case 0: return vae_reader_select(r, NULL, NULL, NULL, 0, e);
	case 1: return vae_reader_select(r, "1,3-5", NULL, NULL, 0, e);
	case 2: return vae_reader_select(r, NULL, "1", NULL, nf ? nf - 1 : 0, e);
	case 3: return vae_reader_select(r, "2-", "-1", NULL, 0, e);
	case 4: return vae_reader_select(r, NULL, NULL, abc, 3, e);
	case 5: return vae_reader_select(r, NULL, "id,note", ca, 2, e);
	case 6: return vae_reader_select(r, "a,c", "id", NULL, 0, e);
	default: return vae_reader_select(r, fields, keep, NULL, 0, e);
	}
}

/* Open path as c says, select columns, and read every row in chunks,
 * touching every value and kept field; a value that is not finite, but
 * for NAN under VAE_MISSING_MASK, aborts.  @return 0 when the whole input was
 * read, 1 when its rows were too wide to read, else a negative VAE_E*
 * code. */
static inline int fuzz_read(const char *path, const fuzz_ctl *c, const char *fields, const char *keep)
{
	vae_err e;
	vae_reader *r = vae_reader_open(path, &c->o, &e);
	vae_mat x = { 0, 0, NULL };
	vae_text t;
	size_t nf, chunk = c->chunk;
	uint32_t h, w;
	long got;
	int rc;
	volatile float sink = 0;

	if (!r)
		return e.code;
	memset(&t, 0, sizeof t);
	nf = vae_reader_n_fields(r);
	(void)vae_reader_format(r);
	(void)vae_reader_image(r, &h, &w);
	(void)vae_reader_path(r);
	for (size_t i = 0; i < fuzz_min(nf, FUZZ_MAX_NAMES); i++) {
		const char *s = vae_reader_name(r, i);
		if (s)
			sink += (float)strlen(s);
	}
	rc = fuzz_select(r, c, nf, fields, keep, &e);
	if (rc)
		goto out;
	vae_reader_keep_all(r, c->keep_all);
	size_t nc = vae_reader_n_cols(r), nk = vae_reader_n_keep(r);
	for (size_t j = 0; j < fuzz_min(nc, FUZZ_MAX_NAMES); j++)
		(void)vae_reader_col_name(r, j);
	for (size_t j = 0; j < fuzz_min(nk, FUZZ_MAX_NAMES); j++)
		(void)vae_reader_keep_name(r, j);
	if (nf > FUZZ_MAX_VALUES) {             /* the library took the row; enough */
		rc = 1;
		goto out;
	}
	if (nf && chunk > FUZZ_MAX_VALUES / nf)
		chunk = FUZZ_MAX_VALUES / nf;
	if ((rc = vae_mat_alloc(&x, chunk, nc, &e)))
		goto out;
	while ((got = vae_reader_read(r, &x, &t, chunk, &e)) > 0) {
		if ((size_t)got != x.rows || x.rows > chunk) {
			fprintf(stderr, "vae_reader_read returned %ld with %zu rows in x\n", got, x.rows);
			abort();
		}
		for (size_t i = 0; i < x.rows * nc; i++) {
			/* a missing value is an error, a dropped row or NAN: never
			 * an infinity, and NAN only when the mode is mask */
			if (!isfinite(x.x[i]) && !(x.x[i] != x.x[i] && c->o.missing == VAE_MISSING_MASK)) {
				fprintf(stderr, "row %zu column %zu read as %g with missing mode %d\n",
				        i / nc, i % nc, (double)x.x[i], c->o.missing);
				abort();
			}
			sink += x.x[i];
		}
		if (nk || c->keep_all)
			for (size_t i = 0; i < t.rows; i++)
				for (size_t j = 0; j < t.cols; j++) {
					size_t len;
					(void)vae_text_field(&t, i, j, &len);
					sink += (float)len;
				}
		(void)vae_reader_skipped(r);
	}
	rc = got < 0 ? (int)got : 0;
out:
	(void)sink;
	vae_mat_release(&x);
	vae_text_release(&t);
	vae_reader_close(r);
	return rc;
}

/* One reader harness: the control bytes, the lists of select mode 7, then
 * the file, read with format (VAE_FMT_AUTO: sniffed or as the control
 * bytes say). */
static inline int fuzz_reader_input(const uint8_t *data, size_t size, int format)
{
	fuzz_ctl c;
	fuzz_file f;
	const char *fields = NULL, *keep = NULL;
	size_t at = fuzz_ctl_decode(&c, data, size, format);

	if (c.select == 7)
		at += fuzz_lists(data + at, size - at, &fields, &keep);
	fuzz_file_open(&f, data + at, size - at);
	fuzz_read(f.path, &c, fields, keep);
	fuzz_file_close(&f);
	return 0;
}

#endif
