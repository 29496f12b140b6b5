/* write.c: the writer: rows as CSV or TSV text, or handed to the binary
 * formats of write_tensor.c. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "number.h"

/* ======================================================================
 * The writer
 * ==================================================================== */

struct vae_writer {
	FILE *fp;
	/* text */
	char delim;
	int precision, unbuffered, need_delim;
	vi_binary *bin;             /* npy, idx, png: the rows, spooled; else NULL */
};

vae_write_opts vae_write_defaults(void)
{
	vae_write_opts o = { VAE_FMT_CSV, 6, 0, 1, 0, 0, 0, 0, 0, 0 };

	return o;
}

static int is_binary(int format)
{
	return format == VAE_FMT_NPY || format == VAE_FMT_IDX || format == VAE_FMT_PNG;
}

/* @return NULL when the options can be written, else why not, with what
 * it is about in *about. */
static const char *check_opts(const vae_write_opts *o, int *about)
{
	*about = VAE_ABOUT_NOTHING;
	if (o->format < VAE_FMT_AUTO || o->format > VAE_FMT_PNG)
		return "unknown output format";
	return is_binary(o->format) ? vi_binary_check(o, about) : NULL;
}

vae_writer *vae_writer_new(FILE *fp, const vae_write_opts *o, vae_err *e)
{
	int about;
	const char *bad = check_opts(o, &about);
	int format = o->format == VAE_FMT_AUTO ? VAE_FMT_CSV : o->format;
	vae_writer *w;

	if (bad) {
		vi_about(e, about, vi_fail(e, VAE_EPARAM, NULL, 0, 0, "%s", bad));
		return NULL;
	}
	if (!(w = calloc(1, sizeof *w))) {
		vi_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate a writer");
		return NULL;
	}
	w->fp = fp;
	w->delim = o->format == VAE_FMT_TSV ? '\t' : ',';
	w->precision = o->precision < 1 ? 1 : o->precision > 17 ? 17 : o->precision;
	w->unbuffered = o->unbuffered;
	if (is_binary(format) && !(w->bin = vi_binary_new(fp, format, o, e))) {
		free(w);
		return NULL;
	}
	return w;
}

int vae_writer_free(vae_writer *w, vae_err *e)
{
	int rc = 0;

	if (!w)
		return 0;
	if (w->bin)
		rc = vi_binary_finish(w->bin, e);
	if ((fflush(w->fp) || ferror(w->fp)) && !rc)
		rc = vi_fail(e, VAE_EIO, NULL, 0, 0, "cannot write the output");
	vi_binary_free(w->bin);
	free(w);
	return rc;
}

void vae_writer_discard(vae_writer *w)
{
	if (!w)
		return;
	fflush(w->fp);                  /* text rows already written stay */
	vi_binary_free(w->bin);         /* binary: the spool, never written */
	free(w);
}

/* ======================================================================
 * Text rows: CSV and TSV
 * ==================================================================== */

static void delimit(vae_writer *w)
{
	if (w->need_delim)
		putc(w->delim, w->fp);
	w->need_delim = 1;
}

void vae_write_text(vae_writer *w, const char *s, size_t len)
{
	int quote = 0;

	if (w->bin) {
		vi_binary_text(w->bin);         /* refused when the row ends */
		return;
	}
	delimit(w);
	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == w->delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!quote) {
		fwrite(s, 1, len, w->fp);
		return;
	}
	putc('"', w->fp);          /* RFC 4180: quote, and double inner quotes */
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			putc('"', w->fp);
		putc(s[i], w->fp);
	}
	putc('"', w->fp);
}

void vae_write_float(vae_writer *w, float v)
{
	char b[64];
	int n = 0;

	if (w->bin) {
		vi_binary_float(w->bin, v);
		return;
	}
	if (w->need_delim)              /* one locked stdio call a value */
		b[n++] = (char)w->delim;
	w->need_delim = 1;
	n += vi_format_float(b + n, v, w->precision);
	fwrite(b, 1, (size_t)n, w->fp);
}

int vae_write_end(vae_writer *w, vae_err *e)
{
	if (w->bin)
		return vi_binary_end(w->bin, e);
	putc('\n', w->fp);
	w->need_delim = 0;
	if (w->unbuffered)
		fflush(w->fp);
	if (ferror(w->fp))
		return vi_fail(e, VAE_EIO, NULL, 0, 0, "cannot write the output");
	return 0;
}

/* ======================================================================
 * A cell in its column's own form
 * ==================================================================== */

void vae_write_cell(vae_writer *w, const vae_column *col, float v)
{
	char b[32];

	if (w->bin || !col || v != v) {
		if (!w->bin && v != v)
			vae_write_text(w, "", 0);     /* missing: an empty field */
		else
			vae_write_float(w, v);
		return;
	}
	switch (col->kind) {
	case VAE_KIND_BINARY:
	case VAE_KIND_CAT:
		if (v >= 0 && (size_t)v < col->n_levels && col->levels) {
			const char *s = col->levels[(size_t)v];
			vae_write_text(w, s, strlen(s));
			return;
		}
		break;
	case VAE_KIND_COUNT:
		if (v >= 0 && v < 1e15f) {   /* whole in float32 past 2^24: printed as such */
			vae_write_text(w, b, (size_t)snprintf(b, sizeof b, "%.0f", (double)v));
			return;
		}
		break;
	}
	vae_write_float(w, v);
}
