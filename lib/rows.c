/* rows.c: rows on disk, for training on more rows than memory holds: a
 * spool of float32 rows in a temporary file, read and written in blocks
 * with pread and pwrite, or a plain NPY or IDX file read as it is, its
 * elements turned into floats as they are read.  Not mapped: pages of a
 * mapping count in the process's resident set for as long as they stay
 * mapped, and reads copy from the page cache at memory speed anyway. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define BLOCK_BYTES (1u << 20)

size_t vi_spool_block(size_t d)
{
	size_t row = (d ? d : 1) * sizeof(float);

	return BLOCK_BYTES / row ? BLOCK_BYTES / row : 1;
}

struct vae_rows {
	int fd;
	size_t rows, cols;
	char *dir;              /* where the spool is, or the file, for messages */
	/* a tensor file's elements; a spool's are float32 in the host's order */
	uint64_t at;            /* the first row's offset */
	char kind;              /* 'f', 'i' or 'u'; 0 for a spool */
	int size, big_endian;
};

vae_rows *vae_rows_spool(size_t cols, const char *dir, vae_err *e)
{
	vae_rows *s = calloc(1, sizeof *s);
	char *path;
	size_t n;

	if (!dir || !*dir)
		dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	n = strlen(dir) + sizeof "/vae-spool.XXXXXX";
	if (!s || !(s->dir = strdup(dir)) || !(path = malloc(n))) {
		if (s)
			free(s->dir);
		free(s);
		vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate a spool");
		return NULL;
	}
	snprintf(path, n, "%s/vae-spool.XXXXXX", dir);
	s->cols = cols;
	s->fd = mkstemp(path);
	if (s->fd < 0) {
		vi_fail(e, VAE_EIO, dir, 0, 0, "cannot create a spool file: %s", strerror(errno));
		free(path);
		free(s->dir);
		free(s);
		return NULL;
	}
	unlink(path);           /* gone when the process is, however it ends */
	free(path);
	return s;
}

vae_rows *vi_rows_file(int fd, const char *path, uint64_t at, size_t rows, size_t cols,
                       char kind, int size, int big_endian, vae_err *e)
{
	vae_rows *s = calloc(1, sizeof *s);

	if (!s || !(s->dir = strdup(path))) {
		free(s);
		close(fd);
		vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate a file's rows");
		return NULL;
	}
	*s = (vae_rows){ fd, rows, cols, s->dir, at, kind, size, big_endian };
	return s;
}

void vae_rows_close(vae_rows *s)
{
	if (!s)
		return;
	close(s->fd);
	free(s->dir);
	free(s);
}

size_t vae_rows_count(const vae_rows *s)
{
	return s->rows;
}

size_t vae_rows_cols(const vae_rows *s)
{
	return s->cols;
}

/* n bytes at offset of the spool from or into buf, whole: short transfers
 * and interruptions continue. */
static int transfer(const vae_rows *s, int out, void *buf, size_t n, off_t at, vae_err *e)
{
	char *p = buf;

	while (n) {
		ssize_t k = out ? pwrite(s->fd, p, n, at) : pread(s->fd, p, n, at);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return vi_fail(e, VAE_EIO, s->dir, 0, 0, "cannot %s the spool file: %s",
			               out ? "write" : "read", k < 0 ? strerror(errno) : "it is shorter");
		p += k;
		n -= (size_t)k;
		at += k;
	}
	return 0;
}

/* The elements of a tensor file read into the last bytes of x's floats,
 * turned into floats from the first on: the float at i ends at 4 (i + 1),
 * no later than the element at i + 1 begins (size <= 4), so none is
 * overwritten before it is read. */
static int tensor_io(const vae_rows *s, size_t r0, vae_mat *x, vae_err *e)
{
	size_t n = x->rows * x->cols, bytes = n * (size_t)s->size;
	unsigned char *p = (unsigned char *)x->x + n * sizeof(float) - bytes;
	int rc = transfer(s, 0, p, bytes, (off_t)(s->at + r0 * s->cols * (size_t)s->size), e);

	if (rc || (s->kind == 'f' && s->size == 4 && s->big_endian == !vi_host_le()))
		return rc;      /* float32 in the host's order: as they are */
	if (s->kind == 'u' && s->size == 1) {   /* images' bytes, the common case: */
		unsigned char run[4096];        /* a run at a time, so the loop vectorises */
		for (size_t i = 0; i < n; i += sizeof run) {
			size_t k = n - i < sizeof run ? n - i : sizeof run;
			memcpy(run, p + i, k);
			for (size_t j = 0; j < k; j++)
				x->x[i + j] = (float)run[j];
		}
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		x->x[i] = (float)vi_tensor_value(s->kind, s->size, s->big_endian, p + i * (size_t)s->size);
	return 0;
}

static int rows_io(const vae_rows *s, int out, size_t r0, vae_mat *x, vae_err *e)
{
	size_t row = s->cols * (s->kind ? (size_t)s->size : sizeof(float));

	if (x->cols != s->cols || r0 > s->rows || (!out && x->rows > s->rows - r0))
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "rows %zu to %zu of %zu x %zu are not in the "
		               "spool of %zu x %zu", r0, r0 + x->rows, x->rows, x->cols, s->rows, s->cols);
	if (out && s->kind)
		return vi_fail(e, VAE_EPARAM, s->dir, 0, 0, "rows are read from it, not written");
	if (row && r0 + x->rows > (size_t)INT64_MAX / row)
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "%zu rows are too many for a spool", r0 + x->rows);
	if (s->kind)
		return tensor_io(s, r0, x, e);
	return transfer(s, out, x->x, x->rows * row, (off_t)(r0 * row), e);
}

int vae_rows_get(const vae_rows *s, size_t r0, vae_mat *x, vae_err *e)
{
	return rows_io(s, 0, r0, x, e);
}

int vae_rows_put(vae_rows *s, size_t r0, const vae_mat *x, vae_err *e)
{
	int rc = rows_io(s, 1, r0, (vae_mat *)x, e);

	if (!rc && r0 + x->rows > s->rows)
		s->rows = r0 + x->rows;
	return rc;
}

int vae_rows_append(vae_rows *s, const vae_mat *x, vae_err *e)
{
	return vae_rows_put(s, s->rows, x, e);
}

int vae_rows_each(vae_rows *s, vae_mat *block, int write,
                  int (*fn)(vae_mat *block, size_t r0, void *arg), void *arg, vae_err *e)
{
	size_t cap = block->rows;
	int rc = 0;

	for (size_t r = 0; r < s->rows && !rc; r += block->rows) {
		block->rows = s->rows - r < cap ? s->rows - r : cap;
		if (!(rc = vae_rows_get(s, r, block, e)) && !(rc = fn(block, r, arg)) && write)
			rc = vae_rows_put(s, r, block, e);
	}
	block->rows = cap;
	return rc;
}
