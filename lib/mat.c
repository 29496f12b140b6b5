/* mat.c: the plain data of the API, vae_mat and vae_text: allocation and access. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int vae_mat_alloc(vae_mat *m, size_t rows, size_t cols, vae_err *e)
{
	m->rows = rows;
	m->cols = cols;
	m->x = NULL;
	if (cols && rows > SIZE_MAX / sizeof(float) / cols)
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "%zu x %zu floats do not fit in memory", rows, cols);
	m->x = malloc(rows * cols * sizeof(float) + 1);
	if (!m->x)
		return vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate %zu x %zu floats", rows, cols);
	return 0;
}

void vae_mat_release(vae_mat *m)
{
	if (!m)
		return;
	free(m->x);
	m->x = NULL;
	m->rows = m->cols = 0;
}

void vae_text_release(vae_text *t)
{
	if (!t)
		return;
	free(t->buf);
	free(t->off);
	memset(t, 0, sizeof *t);
}

const char *vae_text_field(const vae_text *t, size_t r, size_t c, size_t *len)
{
	const char *s = t->buf + t->off[r * t->cols + c];

	if (len)
		*len = strlen(s);
	return s;
}
