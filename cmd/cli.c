/* cli.c: shared options, messages, exit codes and output of the programs. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char *const FORMATS[] = { "auto", "csv", "tsv", "npy", "idx" };
static const char *const MISSING[] = { "error", "skip" };

static void check_applies(const struct cli *c, int opt);
static const char *const OUT_FORMATS[] = { "csv", "tsv", "npy", "idx", "png" };

void cli_init(struct cli *c, const char *prog, unsigned accepts, char **argv)
{
	memset(c, 0, sizeof *c);
	c->accepts = accepts;
	c->keep_help = "columns copied verbatim in front of the output";
	c->header_help = "the first row is a header [detected]";
	c->no_header_help = "the first row is data [detected]";
	c->argv = argv;
	opterr = 0;                 /* bad_option() says it in one line */
	c->prog = prog;
	c->in_format = VAE_FMT_AUTO;
	c->out_format = VAE_FMT_AUTO;
	c->header = VAE_HEADER_AUTO;
	c->precision = 6;
	c->compress = 1;
	c->seed = 1;
	c->out = stdout;
}

/* ======================================================================
 * Messages
 * ==================================================================== */

static void vmessage(const struct cli *c, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", c->prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_warn(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(c, fmt, ap);
	va_end(ap);
}

void cli_usage(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", c->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see '%s --help')\n", c->prog);
	exit(EXIT_USAGE);
}

int cli_exit_status(int code)
{
	switch (code) {
	case VAE_OK: return EXIT_OK;
	case VAE_EDATA: case VAE_EMODEL: case VAE_ENUMERIC: return EXIT_DATA;
	case VAE_EPARAM: return EXIT_USAGE;
	case VAE_ENOINPUT: return EXIT_NOINPUT;
	case VAE_EIO: return EXIT_IO;
	}
	return EXIT_SOFTWARE;
}

static const char *out_name(const struct cli *c)
{
	return c->output && strcmp(c->output, "-") ? c->output : "<stdout>";
}

void cli_output_failed(struct cli *c, int sys)
{
	if (!c->out_failed)
		cli_warn(c, "%s: write error: %s", out_name(c), strerror(sys ? sys : EIO));
	c->out_failed = 1;
	c->status = EXIT_IO;
}

void cli_io_error(struct cli *c, const char *name, const char *what, int sys)
{
	cli_warn(c, "%s: %s: %s", name, what, strerror(sys));
	exit(EXIT_IO);
}

/* The option behind what an error is about (enum vae_about): named before
 * the message, or suggested after it. */
static const struct { const char *before, *after; } ABOUT_HINT[] = {
	[VAE_ABOUT_FIELDS] = { .before = "-f" },
	[VAE_ABOUT_KEEP] = { .before = "-k" },
	[VAE_ABOUT_IMAGE] = { .after = "--image WxH" },
	[VAE_ABOUT_STEP] = { .after = "try a smaller --lr or --clip" },
};

int cli_report(struct cli *c, const vae_err *e)
{
	int status = cli_exit_status(e->code);
	const char *hint_before = NULL, *hint_after = NULL;

	if (e->code == VAE_EIO && !e->file[0]) {
		cli_output_failed(c, e->sys);
		return EXIT_IO;
	}
	fprintf(stderr, "%s: ", c->prog);
	if (e->file[0]) {
		fprintf(stderr, "%s:", e->file);
		if (e->line)
			fprintf(stderr, "%lu:", e->line);
		if (e->line && e->column)
			fprintf(stderr, "%lu:", e->column);
		fputc(' ', stderr);
	}
	if (e->about > 0 && e->about < (int)(sizeof ABOUT_HINT / sizeof *ABOUT_HINT))
		hint_before = ABOUT_HINT[e->about].before, hint_after = ABOUT_HINT[e->about].after;
	if (hint_before)
		fprintf(stderr, "%s: ", hint_before);
	fprintf(stderr, "%s", e->msg);
	if (hint_after)
		fprintf(stderr, " (%s)", hint_after);
	if (status == EXIT_USAGE)
		fprintf(stderr, " (see '%s --help')", c->prog);
	fputc('\n', stderr);
	if (status > c->status)
		c->status = status;
	return status;
}

void cli_die(struct cli *c, const vae_err *e)
{
	int status = cli_report(c, e);

	vae_outfile_discard(c->outfile);
	exit(status);
}

void cli_nomem(struct cli *c)
{
	cli_warn(c, "out of memory");
	vae_outfile_discard(c->outfile);
	exit(EXIT_SOFTWARE);
}

/* ======================================================================
 * Options
 * ==================================================================== */

unsigned long long cli_uint(const struct cli *c, const char *opt, const char *arg,
                            unsigned long long lo, unsigned long long hi)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (!*arg || *end || errno || arg[0] == '-' || v < lo || v > hi)
		cli_usage(c, "%s: expected a whole number from %llu to %llu, got \"%s\"", opt, lo, hi, arg);
	return v;
}

double cli_real(const struct cli *c, const char *opt, const char *arg, double lo, double hi)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (!*arg || *end || errno || !(v >= lo && v <= hi))
		cli_usage(c, "%s: expected a number from %g to %g, got \"%s\"", opt, lo, hi, arg);
	return v;
}

int cli_choice(const struct cli *c, const char *opt, const char *arg, const char *const *names,
               int n)
{
	char list[256] = "";

	for (int i = 0; i < n; i++) {
		if (!strcmp(arg, names[i]))
			return i;
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", names[i]);
	}
	cli_usage(c, "%s: expected one of %s, got \"%s\"", opt, list, arg);
}

/* After --help or --version: the text must have reached stdout. */
static _Noreturn void exit_printed(struct cli *c)
{
	if (fflush(stdout) || ferror(stdout) || fclose(stdout)) {
		cli_output_failed(c, errno);
		exit(EXIT_IO);
	}
	exit(EXIT_OK);
}

/* getopt's '?' and ':', with opterr off: one line naming the option. */
static _Noreturn void bad_option(const struct cli *c, int opt)
{
	char name[3] = { '-', (char)optopt, 0 };
	const char *as_given = optopt > 0 && optopt < 256 ? name : c->argv[optind - 1];

	cli_usage(c, opt == ':' ? "option %s needs an argument" : "unknown option %s", as_given);
}

/* -d C: one character, or \t or "tab" for a tab. */
static int parse_delim(const struct cli *c, const char *arg)
{
	if (!strcmp(arg, "\\t") || !strcmp(arg, "tab"))
		return '\t';
	if (strlen(arg) != 1 || arg[0] == '"' || arg[0] == '\n' || arg[0] == '\r')
		cli_usage(c, "-d: expected one character (or \\t), got \"%s\"", arg);
	return (unsigned char)arg[0];
}

/* --image WxH */
static void parse_image(struct cli *c, const char *arg)
{
	char *end;

	errno = 0;
	c->image_w = strtoul(arg, &end, 10);
	if (*end == 'x')
		c->image_h = strtoul(end + 1, &end, 10);
	if (errno || *end || arg[0] == '-' || !c->image_w || !c->image_h || c->image_w > 65535
	    || c->image_h > 65535)
		cli_usage(c, "--image: expected WIDTHxHEIGHT like 28x28, got \"%s\"", arg);
}

int cli_option(struct cli *c, int opt, const char *arg, void (*help)(const struct cli *))
{
	check_applies(c, opt);
	switch (opt) {
	case 'm': c->model = arg; break;
	case 'o': c->output = arg; break;
	case 'I': c->in_format = cli_choice(c, "-I", arg, FORMATS, 5); break;
	case 'd': c->delim = parse_delim(c, arg); break;
	case 'M' + 512: c->skip_missing = cli_choice(c, "--missing", arg, MISSING, 2); break;
	case 'O': c->out_format = 1 + cli_choice(c, "-O", arg, OUT_FORMATS, 5); break;
	case 'Z' + 256: c->compress = (int)cli_uint(c, "--compress", arg, 0, 9); break;
	case 'G' + 256: parse_image(c, arg); break;
	case 'f': c->fields = arg; break;
	case 'k': c->keep = arg; break;
	case 'H' + 256: c->header = VAE_HEADER_YES; break;
	case 'N' + 256: c->header = VAE_HEADER_NO; break;
	case 'p': c->precision = (int)cli_uint(c, "-p", arg, 1, 17); break;
	case 's': c->seed = cli_uint(c, "-s", arg, 0, UINT64_MAX); break;
	case 'j': c->threads = (int)cli_uint(c, "-j", arg, 1, 1024); break;
	case 'u': c->unbuffered = 1; break;
	case 'q': c->quiet = 1; break;
	case 'h':
		help(c);
		exit_printed(c);
	case 'V':
		printf("%s (vae) %s, library %s\n", c->prog, VAE_VERSION, vae_version());
		exit_printed(c);
	case '?':
	case ':':
		bad_option(c, opt);
	default:
		return 0;
	}
	return 1;
}

void cli_finish_options(struct cli *c, int argc, char **argv, int need_model)
{
	static char *dash[] = { "-" };
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if (need_model && !c->model)
		cli_usage(c, "no model: give one with -m FILE");
	c->inputs = optind < argc ? argv + optind : dash;
	c->n_inputs = optind < argc ? argc - optind : 1;
	c->workers = c->threads ? c->threads : cores > 0 ? (int)cores : 1;
	if (c->workers > CLI_MAX_WORKERS)
		c->workers = CLI_MAX_WORKERS;
	vae_set_threads(1);
}

/* ======================================================================
 * Worker threads over whole blocks
 * ==================================================================== */

struct part {
	int (*fn)(void *user, int worker, size_t r0, size_t r1);
	void *user;
	int worker, rc;
	size_t r0, r1;
};

static void *run_part(void *arg)
{
	struct part *p = arg;

	p->rc = p->fn(p->user, p->worker, p->r0, p->r1);
	return NULL;
}

int cli_worker_error(const vae_err *err, int workers, int rc, vae_err *e)
{
	for (int i = 0; i < workers; i++)
		if (err[i].code) {
			*e = err[i];
			break;
		}
	return rc;
}

vae_ctx **cli_contexts(struct cli *c, const vae_model *m)
{
	vae_ctx **ctx = calloc((size_t)c->workers, sizeof *ctx);
	vae_err e = { 0 };

	if (!ctx)
		cli_nomem(c);
	for (int i = 0; i < c->workers; i++)
		if (!(ctx[i] = vae_ctx_new(m, VAE_BLOCK_ROWS, &e)))
			cli_die(c, &e);
	return ctx;
}

void cli_contexts_free(const struct cli *c, vae_ctx **ctx)
{
	for (int i = 0; ctx && i < c->workers; i++)
		vae_ctx_free(ctx[i]);
	free(ctx);
}

int cli_parallel(int workers, size_t rows,
                 int (*fn)(void *user, int worker, size_t r0, size_t r1), void *user)
{
	struct part parts[CLI_MAX_WORKERS] = { { 0 } };
	pthread_t tid[CLI_MAX_WORKERS];
	int started[CLI_MAX_WORKERS] = { 0 };
	size_t blocks = (rows + VAE_BLOCK_ROWS - 1) / VAE_BLOCK_ROWS, n = (size_t)workers, at = 0;
	int rc = 0;

	if (blocks == 0)
		return 0;
	n = n < blocks ? n : blocks;
	for (size_t i = 0; i < n; i++) {        /* contiguous parts of whole blocks */
		size_t take = (blocks / n + (i < blocks % n)) * VAE_BLOCK_ROWS;
		parts[i] = (struct part){ fn, user, (int)i, 0, at, at + take < rows ? at + take : rows };
		at = parts[i].r1;
	}
	for (size_t i = 1; i < n; i++)          /* the caller's thread takes part 0 */
		if (!(started[i] = !pthread_create(&tid[i], NULL, run_part, &parts[i])))
			run_part(&parts[i]);    /* no thread to be had: do it here */
	run_part(&parts[0]);
	for (size_t i = 0; i < n; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		rc = rc ? rc : parts[i].rc;
	}
	return rc;
}

/* Each shared option's bit, option value, and --help line ("%s" or "%d"
 * or "%llu" stands for its live default, filled in by cli_help_shared). */
static const struct shared {
	unsigned bit;
	int val;
	const char *name, *help;
} SHARED[] = {
	{ CLI_MODEL, 'm', "--model", "  -m, --model FILE        the model (from vae-fit)\n" },
	{ CLI_OUTPUT, 'o', "--output", "  -o, --output FILE       write here instead of stdout\n" },
	{ CLI_IN_FORMAT, 'I', "--input-format", "  -I, --input-format F    auto, csv, tsv, npy or idx [%s]\n" },
	{ CLI_DELIM, 'd', "--delimiter", "  -d, --delimiter C       field delimiter of text input [sniffed: tab or comma]\n" },
	{ CLI_MISSING, 'M' + 512, "--missing", "      --missing M         error, or skip rows with missing values [error]\n" },
	{ CLI_OUT_FORMAT, 'O', "--output-format", "  -O, --output-format F   csv, tsv, npy, idx or png [%s]\n" },
	{ CLI_COMPRESS, 'Z' + 256, "--compress", "      --compress N        gzip level of npy and idx output, 0 for none; png's\n"
	                                    "                          zlib level, 0 for 6 [%d]\n" },
	{ CLI_IMAGE, 'G' + 256, "--image", "      --image WxH         png: the image shape of a row%s\n" },
	{ CLI_FIELDS, 'f', "--fields", "  -f, --fields LIST       model columns: 1-based like cut (1,3-5) or names\n" },
	{ CLI_KEEP, 'k', "--keep", NULL },
	{ CLI_HEADER, 'H' + 256, "--header", NULL },
	{ CLI_NO_HEADER, 'N' + 256, "--no-header", NULL },
	{ CLI_PRECISION, 'p', "--precision", "  -p, --precision N       significant digits of printed floats [%d]\n" },
	{ CLI_SEED, 's', "--seed", "  -s, --seed N            seed of every random draw [%llu]\n" },
	{ CLI_THREADS, 'j', "--threads", "  -j, --threads N         compute threads [all cores]\n" },
	{ CLI_UNBUFFERED, 'u', "--unbuffered", "  -u, --unbuffered        flush after every row\n" },
	{ CLI_QUIET, 'q', "--quiet", "  -q, --quiet             no progress or summary lines on stderr\n" },
};

void cli_help_shared(const struct cli *c)
{
	for (size_t i = 0; i < sizeof SHARED / sizeof *SHARED; i++) {
		const struct shared *o = &SHARED[i];
		if (!(c->accepts & o->bit))
			continue;
		if (o->bit == CLI_KEEP)
			printf("  -k, --keep LIST         %s\n", c->keep_help);
		else if (o->bit == CLI_HEADER)
			printf("      --header            %s\n", c->header_help);
		else if (o->bit == CLI_NO_HEADER)
			printf("      --no-header         %s\n", c->no_header_help);
		else if (o->bit == CLI_IN_FORMAT)
			printf(o->help, FORMATS[c->in_format]);
		else if (o->bit == CLI_COMPRESS)
			printf(o->help, c->compress);
		else if (o->bit == CLI_PRECISION)
			printf(o->help, c->precision);
		else if (o->bit == CLI_SEED)
			printf(o->help, c->seed);
		else if (o->bit == CLI_IMAGE)
			printf(o->help, c->image_of_model ? " [the model's]" : "");
		else if (o->bit == CLI_OUT_FORMAT)
			printf(o->help, c->accepts & CLI_IN_FORMAT ? "csv, or tsv for tsv input" : "csv");
		else
			fputs(o->help, stdout);
	}
	printf("  -h, --help              this help\n"
	       "  -V, --version           program and library version\n");
}

/* A shared option this program does not take is refused, not ignored. */
static void check_applies(const struct cli *c, int opt)
{
	for (size_t i = 0; i < sizeof SHARED / sizeof *SHARED; i++)
		if (SHARED[i].val == opt && !(c->accepts & SHARED[i].bit))
			cli_usage(c, "option %s does not apply to %s", SHARED[i].name, c->prog);
}

/* ======================================================================
 * Output
 * ==================================================================== */

/* Does path name something other than a regular file (a FIFO, /dev/null)?
 * Such an output is written in place: renaming over it would replace it. */
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

vae_read_opts cli_read_opts(const struct cli *c)
{
	vae_read_opts o = vae_read_defaults();

	o.format = c->in_format;
	o.header = c->header;
	o.delim = c->delim;
	o.skip_missing = c->skip_missing;
	return o;
}

void cli_report_skipped(const struct cli *c, const vae_reader *r)
{
	unsigned long n = vae_reader_skipped(r);

	if (n && !c->quiet)
		cli_warn(c, "%s: skipped %lu row%s with missing values", vae_reader_path(r), n,
		         n == 1 ? "" : "s");
}

vae_model *cli_load_model(struct cli *c)
{
	vae_err e = { 0 };
	vae_model *m = vae_model_load(c->model, 0, &e);

	if (!m)
		cli_die(c, &e);
	return m;
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
	if (m && vae_model_scale_kind(m) == VAE_SCALE_MINMAX)
		model_range(m, &o.lo, &o.hi);
	return o;
}

int cli_write_header(vae_writer *w, const vae_reader *r, const char *const *names,
                     const char *prefix, size_t n, vae_err *e)
{
	char buf[64];

	for (size_t j = 0; r && j < vae_reader_n_keep(r); j++) {
		const char *s = vae_reader_keep_name(r, j);
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

/* ======================================================================
 * The filter loop of vae-enc, vae-dec and vae-score
 * ==================================================================== */

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

/* Every chunk of one opened input; @return 0 or a VAE_E* code. */
/* Fill e with code and msg; @return code. */
static int fail_msg(vae_err *e, int code, const char *msg)
{
	memset(e, 0, sizeof *e);
	e->code = code;
	snprintf(e->msg, sizeof e->msg, "%s", msg);
	return code;
}

/* Reading ahead: a thread parses the next chunk while this one is computed
 * and written, so parsing (a third of a 784-column run) overlaps the
 * products.  Chunks alternate between two buffers. */
struct ahead {
	vae_reader *r;
	size_t max;
	vae_mat *x;             /* [2] */
	vae_text *keep;         /* [2] */
	vae_err e[2];
	long n[2];
	int full[2];            /* buffer i holds a chunk not yet consumed */
	int stop;               /* the consumer has stopped */
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static void *read_ahead(void *arg)
{
	struct ahead *a = arg;
	long n = 1;

	for (int i = 0; n > 0; i ^= 1) {
		int stop;
		pthread_mutex_lock(&a->lock);
		while (a->full[i] && !a->stop)
			pthread_cond_wait(&a->cond, &a->lock);
		stop = a->stop;
		pthread_mutex_unlock(&a->lock);
		if (stop)
			break;
		n = vae_reader_read(a->r, &a->x[i], &a->keep[i], a->max, &a->e[i]);
		pthread_mutex_lock(&a->lock);
		a->n[i] = n;
		a->full[i] = 1;
		pthread_cond_broadcast(&a->cond);
		pthread_mutex_unlock(&a->lock);
	}
	return NULL;
}

/* Every chunk of r through f->chunk, read one ahead; @return 0 or a code. */
static int filter_chunks(struct cli *c, const struct cli_filter *f, vae_reader *r, vae_writer *w,
                         vae_mat *x, vae_text *keep, vae_err *e)
{
	struct ahead a = { .r = r, .max = c->unbuffered ? 1 : CLI_CHUNK, .x = x, .keep = keep };
	pthread_t t;
	long n = 1;
	int rc = 0;

	pthread_mutex_init(&a.lock, NULL);
	pthread_cond_init(&a.cond, NULL);
	if (pthread_create(&t, NULL, read_ahead, &a))
		return fail_msg(e, VAE_EINTERNAL, "cannot start a thread");
	for (int i = 0; n > 0 && !rc; i ^= 1) {
		pthread_mutex_lock(&a.lock);
		while (!a.full[i])
			pthread_cond_wait(&a.cond, &a.lock);
		pthread_mutex_unlock(&a.lock);
		n = a.n[i];
		rc = x[i].rows ? f->chunk(f->user, r, &x[i], &keep[i], w, e) : 0;
		if (!rc && n < 0)
			*e = a.e[i];
		pthread_mutex_lock(&a.lock);
		a.full[i] = 0;
		a.stop = rc != 0;
		pthread_cond_broadcast(&a.cond);
		pthread_mutex_unlock(&a.lock);
	}
	if (rc)
		pthread_cancel(t);      /* it may wait in read(2) on a pipe */
	pthread_join(t, NULL);
	pthread_cond_destroy(&a.cond);
	pthread_mutex_destroy(&a.lock);
	return rc ? rc : n < 0 ? (int)n : 0;
}

static int filter_input(struct cli *c, const struct cli_filter *f, vae_reader *r,
                        vae_writer **w, vae_mat *x, vae_text *keep, vae_err *e)
{
	int rc;

	if ((rc = vae_reader_select(r, c->fields, c->keep, f->names, f->n_in, e)))
		return rc;
	if (f->prepare)
		f->prepare(f->user, r);
	if (vae_reader_n_fields(r) == 0)
		return 0;                       /* empty input */
	if (!*w) {
		vae_write_opts o = cli_write_opts(c, vae_reader_format(r), f->out_model);
		o.width = f->out_width;
		if (!(*w = vae_writer_new(c->out, &o, e)))
			return e->code;
		if (vae_reader_name(r, 0) && cli_text_format(&o) && (rc = f->header(f->user, r, *w, e)))
			return rc;
	}
	return filter_chunks(c, f, r, *w, x, keep, e);
}

int cli_filter_run(struct cli *c, const struct cli_filter *f)
{
	vae_writer *w = NULL;
	vae_mat x[2];
	vae_text keep[2] = { { 0 }, { 0 } };
	vae_err e = { 0 };

	if (vae_mat_alloc(&x[0], CLI_CHUNK, f->n_in, &e) || vae_mat_alloc(&x[1], CLI_CHUNK, f->n_in, &e))
		cli_die(c, &e);
	for (int i = 0; i < c->n_inputs; i++) {
		vae_read_opts o = cli_read_opts(c);
		vae_reader *r = vae_reader_open(c->inputs[i], &o, &e);
		int rc = r ? filter_input(c, f, r, &w, x, keep, &e) : e.code;
		if (r)
			cli_report_skipped(c, r);
		if (rc)
			cli_report(c, &e);
		vae_reader_close(r);
		if (c->out_failed)
			break;                      /* nowhere to write the rest */
	}
	vae_write_opts o = cli_write_opts(c, VAE_FMT_CSV, f->out_model);
	o.width = f->out_width;
	if (!w && !c->out_failed && (f->finish || !cli_text_format(&o))
	    && !(w = vae_writer_new(c->out, &o, &e)))   /* no input: a summary, or an empty array */
		cli_report(c, &e);
	if (w && f->finish && !c->out_failed && f->finish(f->user, w, &e))
		cli_report(c, &e);
	if (w && vae_writer_free(w, &e))
		cli_report(c, &e);
	vae_mat_release(&x[0]);
	vae_mat_release(&x[1]);
	vae_text_release(&keep[0]);
	vae_text_release(&keep[1]);
	return cli_close_output(c);
}
