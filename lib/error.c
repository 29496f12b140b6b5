/* err.c: error codes, the library version, and the plain data helpers. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const char *vae_version(void)
{
	return VAE_VERSION;
}

const char *vae_strerror(int code)
{
	switch (code) {
	case VAE_OK: return "success";
	case VAE_ENOMEM: return "out of memory";
	case VAE_EIO: return "I/O error";
	case VAE_EDATA: return "bad data";
	case VAE_EMODEL: return "bad model file";
	case VAE_EPARAM: return "bad parameter";
	case VAE_ENUMERIC: return "training diverged";
	case VAE_ENOINPUT: return "cannot open input";
	case VAE_EINTERNAL: return "internal error";
	}
	return "unknown error";
}

int vi_fail(vae_err *e, int code, const char *file, unsigned long line,
             unsigned long column, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	e->code = code;
	e->sys = (code == VAE_EIO || code == VAE_ENOINPUT) ? errno : 0;
	e->about = VAE_ABOUT_NOTHING;
	snprintf(e->file, sizeof e->file, "%s", file ? file : "");
	e->line = line;
	e->column = column;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return code;
}

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
