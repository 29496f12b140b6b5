/* io_write.c: writing rows as CSV or TSV text. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ======================================================================
 * Writing rows
 * ==================================================================== */

struct vae_writer {
	FILE *fp;
	char delim;
	int precision, unbuffered, need_delim;
};

vae_write_opts vae_write_defaults(void)
{
	vae_write_opts o = { VAE_FMT_CSV, 6, 0, 1, 0, 0, 0, 0 };

	return o;
}

vae_writer *vae_writer_new(FILE *fp, const vae_write_opts *o, vae_err *e)
{
	vae_writer *w = calloc(1, sizeof *w);

	if (!w) {
		vae_fail(e, VAE_ENOMEM, NULL, 0, 0, "cannot allocate a writer");
		return NULL;
	}
	w->fp = fp;
	w->delim = o->format == VAE_FMT_TSV ? '\t' : ',';
	w->precision = o->precision < 1 ? 1 : o->precision > 17 ? 17 : o->precision;
	w->unbuffered = o->unbuffered;
	return w;
}

int vae_writer_free(vae_writer *w, vae_err *e)
{
	int rc = 0;

	if (!w)
		return 0;
	if (fflush(w->fp) || ferror(w->fp))
		rc = vae_fail(e, VAE_EIO, NULL, 0, 0, "cannot write the output");
	free(w);
	return rc;
}

static void delimit(vae_writer *w)
{
	if (w->need_delim)
		putc(w->delim, w->fp);
	w->need_delim = 1;
}

void vae_write_text(vae_writer *w, const char *s, size_t len)
{
	int quote = 0;

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
	char b[48];
	int n = snprintf(b, sizeof b, "%.*g", w->precision, (double)v);

	delimit(w);
	fwrite(b, 1, (size_t)n, w->fp);
}

int vae_write_end(vae_writer *w, vae_err *e)
{
	putc('\n', w->fp);
	w->need_delim = 0;
	if (w->unbuffered)
		fflush(w->fp);
	if (ferror(w->fp))
		return vae_fail(e, VAE_EIO, NULL, 0, 0, "cannot write the output");
	return 0;
}
