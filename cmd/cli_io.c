/* cli_io.c: what the programs read and write: the output (-o through a
 * file replaced whole), how to read and write rows as the options say,
 * header lines, rows with their kept fields, and the model with its
 * column names. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* ======================================================================
 * The output
 * ==================================================================== */

/* A binary format on a terminal is refused before any work is done: it
 * would only garble the screen. */
void cli_open_output(struct cli *c)
{
	int binary = c->out_format >= VAE_FMT_NPY;
	vae_err e;

	if (!c->output || !strcmp(c->output, "-")) {
		if (binary && isatty(STDOUT_FILENO))
			cli_usage(c, "stdout is a terminal: give -o FILE or redirect the output");
		c->out = stdout;
		return;
	}
	if (!(c->outfile = vae_outfile_open(c->output, &e)))
		cli_die(c, &e);
	c->out = vae_outfile_stream(c->outfile);
	cli_signal_cleanup(vae_outfile_temp(c->outfile));
}

int cli_close_output(struct cli *c)
{
	vae_outfile *f = c->outfile;
	vae_err e;
	int bad, sys;

	c->outfile = NULL;
	if (f && c->status != EXIT_OK && c->status != EXIT_NONE)
		vae_outfile_discard(f);
	else if (f && vae_outfile_commit(f, &e))
		cli_report(c, &e);
	cli_signal_cleanup(NULL);       /* renamed or removed by now: its name may be another's */
	if (f)
		return c->status;
	bad = fflush(c->out) != 0 || ferror(c->out);
	sys = errno;
	if (fclose(c->out) && !bad) {
		bad = 1;
		sys = errno;
	}
	if (bad)
		cli_output_failed(c, sys);
	return c->status;
}

/* ======================================================================
 * Reading and writing rows
 * ==================================================================== */

/* --missing as chosen, else an error (cli_filter_run chooses mask for a
 * model trained with masks: its rows may have empty cells). */
vae_read_opts cli_read_opts(const struct cli *c)
{
	vae_read_opts o = vae_read_defaults();

	o.format = c->in_format;
	o.header = c->header;
	o.delim = c->delim;
	o.missing = c->missing >= 0 ? c->missing : VAE_MISSING_ERROR;
	return o;
}

void cli_report_skipped(const struct cli *c, const vae_reader *r)
{
	unsigned long n = vae_reader_skipped(r);

	if (n && !c->quiet)
		cli_warn(c, "%s: skipped %lu row%s with missing values", vae_reader_path(r), n,
		         n == 1 ? "" : "s");
}

void cli_report_unnamed(struct cli *c, const vae_reader *r)
{
	size_t first, n = vae_reader_unnamed(r, &first);

	if (!n || c->quiet || c->told_unnamed)
		return;
	c->told_unnamed = 1;
	if (n == 1)
		cli_warn(c, "%s: column %zu has no name in the header: left out of the model "
		         "(name it with -f to use it)", vae_reader_path(r), first + 1);
	else
		cli_warn(c, "%s: %zu columns, from column %zu, have no name in the header: left out "
		         "of the model (name them with -f to use them)", vae_reader_path(r), n, first + 1);
}

/* The training data's range under minmax scaling: black and white in PNG. */
static void model_range(const vae_model *m, float *lo, float *hi)
{
	for (size_t j = 0; j < vae_model_arch(m)->n_in; j++) {
		float off, sc;
		vae_model_scaling(m, j, &off, &sc);
		*lo = j == 0 || off < *lo ? off : *lo;
		*hi = j == 0 || off + sc > *hi ? off + sc : *hi;
	}
}

int cli_text_format(const vae_write_opts *o)
{
	return o->format == VAE_FMT_CSV || o->format == VAE_FMT_TSV;
}

vae_write_opts cli_write_opts(const struct cli *c, int in_format, const vae_model *m)
{
	vae_write_opts o = vae_write_defaults();
	uint32_t h = 0, w = 0;

	o.format = c->out_format != VAE_FMT_AUTO ? c->out_format
	         : in_format == VAE_FMT_TSV ? VAE_FMT_TSV : VAE_FMT_CSV;
	o.precision = c->precision;
	o.unbuffered = c->unbuffered;
	o.compress = c->compress;
	if (m)
		vae_model_image(m, &h, &w);
	o.image_h = c->image_h ? c->image_h : h;
	o.image_w = c->image_w ? c->image_w : w;
	o.tiles = c->tiles;
	if (m && vae_model_scale_kind(m) == VAE_SCALE_MINMAX)
		model_range(m, &o.lo, &o.hi);
	return o;
}

static long hidden_kept = -1;

void cli_hide_kept(long at)
{
	hidden_kept = at;
}

long cli_hidden_kept(void)
{
	return hidden_kept;
}

int cli_write_header(vae_writer *w, const vae_reader *r, const char *const *names,
                     const char *prefix, size_t n, vae_err *e)
{
	char buf[64];

	for (size_t j = 0; r && j < vae_reader_n_keep(r); j++) {
		const char *s = vae_reader_keep_name(r, j);
		if ((long)j == hidden_kept)
			continue;
		vae_write_text(w, s ? s : "", s ? strlen(s) : 0);
	}
	for (size_t j = 0; j < n; j++) {
		const char *s = names ? names[j] : NULL;
		if (!s) {
			snprintf(buf, sizeof buf, "%s%zu", prefix, j + 1);
			s = buf;
		}
		vae_write_text(w, s, strlen(s));
	}
	return vae_write_end(w, e);
}

void cli_write_fields(vae_writer *w, const vae_text *keep, size_t i, size_t from, size_t to)
{
	for (size_t k = from; keep && k < to; k++) {
		size_t len;
		const char *s = vae_text_field(keep, i, k, &len);
		vae_write_text(w, s, len);
	}
}

int cli_write_row(vae_writer *w, const vae_text *keep, size_t i, const float *v, size_t n,
                  vae_err *e)
{
	cli_write_fields(w, keep, i, 0, keep ? keep->cols : 0);
	for (size_t j = 0; j < n; j++)
		vae_write_float(w, v[j]);
	return vae_write_end(w, e);
}

int cli_write_cells(vae_writer *w, const vae_model *m, const vae_text *keep, size_t i,
                    const float *v, vae_err *e)
{
	size_t n = vae_model_arch(m)->n_in;

	cli_write_fields(w, keep, i, 0, keep ? keep->cols : 0);
	for (size_t j = 0; j < n; j++)
		vae_write_cell(w, vae_model_is_table(m) ? vae_model_column(m, j) : NULL, v[j]);
	return vae_write_end(w, e);
}

/* ======================================================================
 * The model
 * ==================================================================== */

vae_model *cli_load_model(struct cli *c)
{
	vae_err e = { 0 };
	vae_model *m = vae_model_load(c->model, 0, &e);

	if (!m)
		cli_die(c, &e);
	if (!strcmp(c->model, "-"))
		c->model = "<stdin>";
	return m;
}

size_t cli_latent(const struct cli *c, const vae_model *m, int level)
{
	size_t k = vae_model_latent(m, level);

	if (!k)
		cli_usage(c, "--level %d: %s has one latent level", level, c->model);
	return k;
}

const char **cli_header_names(const vae_model *m)
{
	size_t n = vae_model_arch(m)->n_in, c = vae_model_classes(m, NULL, NULL) > 0;
	const char **names = malloc((n + c) * sizeof *names), *label = NULL;

	if (!names)
		return NULL;
	for (size_t j = 0; j < n; j++)
		names[j] = vae_model_name(m, j);
	vae_model_classes(m, NULL, &label);
	if (c)
		names[n] = label ? label : "label";
	return names;
}

const char **cli_model_names(const vae_model *m)
{
	size_t n = vae_model_arch(m)->n_in;
	const char **names;

	if (!vae_model_name(m, 0) || !(names = malloc(n * sizeof *names)))
		return NULL;
	for (size_t j = 0; j < n; j++)
		names[j] = vae_model_name(m, j);
	return names;
}

