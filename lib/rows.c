/* rows.c: rows on disk, for training on more rows than memory holds: a
 * spool of float32 rows in a temporary file, read and written in blocks
 * with pread and pwrite.  Not mapped: pages of a mapping count in the
 * process's resident set for as long as they stay mapped, and reads copy
 * from the page cache at memory speed anyway. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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
	char *dir;              /* where the spool is, for messages */
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

static int rows_io(const vae_rows *s, int out, size_t r0, const vae_mat *x, vae_err *e)
{
	size_t row = s->cols * sizeof(float);

	if (x->cols != s->cols || r0 > s->rows || (!out && x->rows > s->rows - r0))
		return vi_fail(e, VAE_EPARAM, NULL, 0, 0, "rows %zu to %zu of %zu x %zu are not in the "
		               "spool of %zu x %zu", r0, r0 + x->rows, x->rows, x->cols, s->rows, s->cols);
	if (row && r0 + x->rows > (size_t)INT64_MAX / row)
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "%zu rows are too many for a spool", r0 + x->rows);
	return transfer(s, out, x->x, x->rows * row, (off_t)(r0 * row), e);
}

int vae_rows_get(const vae_rows *s, size_t r0, vae_mat *x, vae_err *e)
{
	return rows_io(s, 0, r0, x, e);
}

int vae_rows_put(vae_rows *s, size_t r0, const vae_mat *x, vae_err *e)
{
	int rc = rows_io(s, 1, r0, x, e);

	if (!rc && r0 + x->rows > s->rows)
		s->rows = r0 + x->rows;
	return rc;
}

int vae_rows_append(vae_rows *s, const vae_mat *x, vae_err *e)
{
	return vae_rows_put(s, s->rows, x, e);
}

int vae_rows_map(vae_rows *s, vae_mat *x, vae_err *e)
{
	size_t bytes = s->rows * s->cols * sizeof(float);
	void *p = bytes ? mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0) : NULL;

	if (p == MAP_FAILED)
		return vi_fail(e, VAE_ENOMEM, s->dir, 0, 0, "cannot map the spool file: %s",
		               strerror(errno));
	*x = (vae_mat){ s->rows, s->cols, p };
	return 0;
}

void vae_rows_unmap(vae_mat *x)
{
	if (x->x)
		munmap(x->x, x->rows * x->cols * sizeof(float));
	x->x = NULL;
}
