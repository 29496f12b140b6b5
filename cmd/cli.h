/* cli.h: what the six programs share, one section for each file of it:
 * messages, options, input and output, and how the filters run. */
#ifndef VAE_CLI_H
#define VAE_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "vae.h"

/* Exit statuses, sysexits values for errors (listed in vae(7), EXIT STATUS). */
enum cli_exit {
	EXIT_OK = 0,
	EXIT_NONE = 1,          /* vae-score with a threshold: no row over it */
	EXIT_USAGE = 64,
	EXIT_DATA = 65,
	EXIT_NOINPUT = 66,
	EXIT_SOFTWARE = 70,
	EXIT_IO = 74
};

/* The shared options, as bits: each program says which apply to it. */
enum cli_shared {
	CLI_MODEL = 1 << 0, CLI_OUTPUT = 1 << 1, CLI_IN_FORMAT = 1 << 2, CLI_DELIM = 1 << 3,
	CLI_MISSING = 1 << 4, CLI_OUT_FORMAT = 1 << 5, CLI_COMPRESS = 1 << 6, CLI_IMAGE = 1 << 7,
	CLI_FIELDS = 1 << 8, CLI_KEEP = 1 << 9, CLI_HEADER = 1 << 10, CLI_NO_HEADER = 1 << 11,
	CLI_PRECISION = 1 << 12, CLI_SEED = 1 << 13, CLI_THREADS = 1 << 14, CLI_UNBUFFERED = 1 << 15,
	CLI_QUIET = 1 << 16, CLI_PORTABLE = 1 << 17, CLI_COMPUTE = 1 << 18
};
/* What a row filter (vae-enc, vae-dec, vae-score) reads and writes. */
#define CLI_FILTER (CLI_MODEL | CLI_OUTPUT | CLI_IN_FORMAT | CLI_DELIM | CLI_MISSING \
	| CLI_OUT_FORMAT | CLI_COMPRESS | CLI_IMAGE | CLI_FIELDS | CLI_KEEP | CLI_HEADER \
	| CLI_NO_HEADER | CLI_PRECISION | CLI_THREADS | CLI_UNBUFFERED | CLI_QUIET | CLI_PORTABLE \
	| CLI_COMPUTE)

/* The options every program shares. */
struct cli {
	unsigned accepts;       /* enum cli_shared bits that apply to this program */
	const char *keep_help;  /* what -k means here */
	const char *missing_help;   /* --missing's help lines here (NULL: the filters') */
	const char *header_help, *no_header_help;   /* what --header, --no-header mean */
	const char *seed_help;  /* what -s means here, when not the seed of the draws */
	const char *features;   /* what the build added, said by --version (NULL: none) */
	int image_of_model;     /* png tiles default to the model's image shape */
	const char *prog;
	const char *model, *output, *fields, *keep;
	int in_format, out_format, header, precision, threads, unbuffered, quiet;
	int portable;           /* --portable, or VAE_PORTABLE set (not empty, not 0) */
	int compute;            /* --compute: enum vae_compute, as asked for */
	int compress;           /* gzip level of binary output */
	int workers;            /* inference threads (-j), each with its own context */
	int delim, missing;         /* missing: enum vae_missing, -1 until chosen */
	unsigned long image_h, image_w;   /* --image WxH, 0 when not given */
	unsigned long tiles;    /* --tiles N: png tiles across, 0 when not given */
	unsigned long long seed;
	char **argv;
	char **inputs;          /* file arguments, "-" for stdin */
	int n_inputs;
	FILE *out;              /* the output stream, after cli_open_output */
	vae_outfile *outfile;   /* -o FILE, written whole or not at all */
	int status;             /* worst exit status so far */
	int out_failed;         /* an output error was reported */
	int told_unnamed;       /* cli_report_unnamed has spoken */
	const float *labels;    /* a filter's chunk's labels (cli_filter labelled), or
	                         * NULL when its input has no label column */
};

/* ======================================================================
 * cli.c: messages and exit statuses
 * ==================================================================== */

/* Messages: "prog: place: message" on stderr. */
void cli_warn(const struct cli *c, const char *fmt, ...);
_Noreturn void cli_usage(const struct cli *c, const char *fmt, ...);
/* Report a library error and remember its exit status; @return the status.
 * A write error on the output (VAE_EIO with no file) is reported once. */
int cli_report(struct cli *c, const vae_err *e);
_Noreturn void cli_die(struct cli *c, const vae_err *e);
_Noreturn void cli_nomem(struct cli *c);
/* "prog: NAME: WHAT: strerror(sys)", exit 74. */
_Noreturn void cli_io_error(struct cli *c, const char *name, const char *what, int sys);
/* Exit with status, removing the -o temporary: what every error exit after
 * cli_open_output goes through. */
_Noreturn void cli_exit(struct cli *c, int status);
/* exit(status), after the hook cli_on_exit installed: the one exit() of
 * the shared layer, so that vae-fit under MPI ends the other processes
 * with the status (they may be waiting for this one). */
_Noreturn void cli_end(int status);
void cli_on_exit(void (*hook)(int status));
/* SIGPIPE ignored, so that a closed stderr never kills the program;
 * SIGINT, SIGTERM and SIGHUP remove the -o temporary and end a progress
 * bar's line before they end the program. */
void cli_signals(void);
/* The file a fatal signal removes (NULL: none); the name is copied. */
void cli_signal_cleanup(const char *tmp);
/* Whether a fatal signal ends a progress bar's line first. */
void cli_signal_newline(int on);
/* The output failed with errno sys: say so once, exit status 74; EPIPE (its
 * reader is gone) ends the program by SIGPIPE, quietly. */
void cli_output_failed(struct cli *c, int sys);
int cli_exit_status(int vae_code);

/* ======================================================================
 * mpi.c: vae-fit's processes under mpirun, built with make MPI=1
 * ==================================================================== */

/* Join the processes mpirun started, when it started this one (else, or
 * when it started this one alone, @return NULL: a fit on one process).
 * Only the calling thread talks to the others (MPI_THREAD_FUNNELED); an
 * exit through cli_end with an error status ends all of them with it.
 * @return the sums vae_fit asks for, with this process's rank. */
const vae_comm *cli_mpi_start(int *argc, char ***argv);
/* Leave the processes, once the model is written; @return status. */
int cli_mpi_end(int status);

/* ======================================================================
 * cli_options.c: the shared options
 * ==================================================================== */

/* The values getopt_long returns for long options that have no letter:
 * past every char, so none can be taken for a short option.  A program
 * numbers its own from CLI_OPT_FIRST_PRIVATE, so none can be taken for a
 * shared one either. */
enum cli_long {
	CLI_OPT_HEADER = 256,
	CLI_OPT_NO_HEADER,
	CLI_OPT_MISSING,
	CLI_OPT_COMPRESS,
	CLI_OPT_IMAGE,
	CLI_OPT_TILES,
	CLI_OPT_PORTABLE,
	CLI_OPT_COMPUTE,
	CLI_OPT_FIRST_PRIVATE
};

/* getopt letters and long names of the shared options; each program appends
 * its own to these. */
/* The leading ':' has getopt report a missing argument as ':', silently. */
#define CLI_SHORT ":m:o:I:O:f:k:d:p:s:j:uqhV"
#define CLI_LONG \
	{ .name = "model", .has_arg = required_argument, .val = 'm' }, \
	{ .name = "output", .has_arg = required_argument, .val = 'o' }, \
	{ .name = "input-format", .has_arg = required_argument, .val = 'I' }, \
	{ .name = "output-format", .has_arg = required_argument, .val = 'O' }, \
	{ .name = "fields", .has_arg = required_argument, .val = 'f' }, \
	{ .name = "keep", .has_arg = required_argument, .val = 'k' }, \
	{ .name = "header", .has_arg = no_argument, .val = CLI_OPT_HEADER }, \
	{ .name = "no-header", .has_arg = no_argument, .val = CLI_OPT_NO_HEADER }, \
	{ .name = "precision", .has_arg = required_argument, .val = 'p' }, \
	{ .name = "seed", .has_arg = required_argument, .val = 's' }, \
	{ .name = "threads", .has_arg = required_argument, .val = 'j' }, \
	{ .name = "unbuffered", .has_arg = no_argument, .val = 'u' }, \
	{ .name = "quiet", .has_arg = no_argument, .val = 'q' }, \
	{ .name = "help", .has_arg = no_argument, .val = 'h' }, \
	{ .name = "version", .has_arg = no_argument, .val = 'V' }, \
	{ .name = "delimiter", .has_arg = required_argument, .val = 'd' }, \
	{ .name = "missing", .has_arg = required_argument, .val = CLI_OPT_MISSING }, \
	{ .name = "compress", .has_arg = required_argument, .val = CLI_OPT_COMPRESS }, \
	{ .name = "image", .has_arg = required_argument, .val = CLI_OPT_IMAGE }, \
	{ .name = "tiles", .has_arg = required_argument, .val = CLI_OPT_TILES }, \
	{ .name = "portable", .has_arg = no_argument, .val = CLI_OPT_PORTABLE }, \
	{ .name = "compute", .has_arg = required_argument, .val = CLI_OPT_COMPUTE }

/* The --help lines of the shared options that apply, with live defaults. */
void cli_help_shared(const struct cli *c);

/* accepts: the enum cli_shared bits of the options that apply. */
void cli_init(struct cli *c, const char *prog, unsigned accepts, char **argv);
/* Handle a shared option; @return 1 if it was one, 0 if not (the program's
 * own).  A shared option that does not apply is a usage error.  --help and
 * --version call help() / print, and exit. */
int cli_option(struct cli *c, int opt, const char *arg, void (*help)(const struct cli *));
/* After getopt: remaining arguments are inputs; check -m (-m - only when
 * the rows do not come from stdin too).  Set the threads:
 * one for each matrix product, and -j workers (c->workers) that take whole
 * blocks of rows each, so outputs do not depend on -j. */
void cli_finish_options(struct cli *c, int argc, char **argv, int need_model);

/* Checked numbers: a bad one is a usage error naming the option. */
unsigned long long cli_uint(const struct cli *c, const char *opt, const char *arg,
                            unsigned long long lo, unsigned long long hi);
double cli_real(const struct cli *c, const char *opt, const char *arg, double lo, double hi);
/* The index of arg in names[0..n), or a usage error listing them. */
int cli_choice(const struct cli *c, const char *opt, const char *arg, const char *const *names,
               int n);
/* The value of an enum of vae.h that arg names (vae_names), or a usage
 * error listing the names: every program takes the same words. */
int cli_choose(const struct cli *c, const char *opt, const char *arg, enum vae_name_kind kind);
/* The name of value in an enum of vae.h, "?" for a value it lacks, so a
 * model from a newer library prints rather than crashes. */
const char *cli_name(enum vae_name_kind kind, int value);

/* ======================================================================
 * cli_io.c: inputs, the output, rows, the model
 * ==================================================================== */

/* Output: -o FILE (through a temporary file) or stdout; binary formats
 * refuse a terminal. */
void cli_open_output(struct cli *c);
/* Flush and close the output, rename a temporary file into place if all
 * went well; @return the final exit status. */
int cli_close_output(struct cli *c);

/* How to read: -I, --header/--no-header, -d, --missing. */
vae_read_opts cli_read_opts(const struct cli *c);
/* After an input: say how many rows --missing skip dropped. */
void cli_report_skipped(const struct cli *c, const vae_reader *r);
/* After vae_reader_select: say, once a run and not with -q, that fields
 * with no name in the header were left out of the model columns. */
void cli_report_unnamed(struct cli *c, const vae_reader *r);
/* How to write: -O (else the input's text format), -p, -u, --compress,
 * --image (else the model's image shape, m may be NULL). */
vae_write_opts cli_write_opts(const struct cli *c, int in_format, const vae_model *m);

/* Header lines: kept names (but the one cli_hide_kept hides) then the
 * given names (or prefix1..prefixN).  @return 0 or a VAE_E* code with e
 * set. */
int cli_write_header(vae_writer *w, const vae_reader *r, const char *const *names,
                     const char *prefix, size_t n, vae_err *e);
/* The kept field at (-1: none) is a label column read for the rows, not
 * written: cli_write_header leaves its name out. */
void cli_hide_kept(long at);
/* @return the kept field cli_hide_kept hides, or -1: a chunk's kept text
 * has it taken out. */
long cli_hidden_kept(void);
/* @return non-zero for csv and tsv, the formats with header lines. */
int cli_text_format(const vae_write_opts *o);
/* One row: kept fields of row i, then n floats. */
int cli_write_row(vae_writer *w, const vae_text *keep, size_t i, const float *v, size_t n,
                  vae_err *e);
/* A row of m's columns in their own form (levels as text, counts whole,
 * vae_write_cell), after row i's kept fields. */
int cli_write_cells(vae_writer *w, const vae_model *m, const vae_text *keep, size_t i,
                    const float *v, vae_err *e);
/* Text fields [from, to) of row i, not ending the row. */
void cli_write_fields(vae_writer *w, const vae_text *keep, size_t i, size_t from, size_t to);

/* -m's model, loaded and checked; dies on failure.  -m - reads stdin, and
 * c->model becomes "<stdin>" for the messages that name the model. */
vae_model *cli_load_model(struct cli *c);
/* The size of m's latent level (--level's 1 or 2); a usage error naming
 * the model when it has no such level. */
size_t cli_latent(const struct cli *c, const vae_model *m, int level);
/* The names of a row of m's as vae-sample writes it: its columns' (NULL
 * where unnamed), then with a label the label's ("label" when unnamed);
 * free() it (NULL: no memory). */
const char **cli_header_names(const vae_model *m);
/* The model's column names as an array (NULL when unnamed); free() it. */
const char **cli_model_names(const vae_model *m);

/* ======================================================================
 * cli_label.c: a label column beside the rows
 * ==================================================================== */

/* The keep list with the label column col (a header name or a 1-based
 * field number) added: "KEEP,COL", or "COL"; free() it (NULL: no memory). */
char *cli_keep_label(const char *keep, const char *col);
/* Does r have a column col (a header name, or a field number)?  @return
 * 0, or VAE_EDATA naming r's file and --label. */
int cli_label_column(const vae_reader *r, const char *col, vae_err *e);
/* The place of column col among r's kept fields, or -1 when r keeps no
 * such field. */
long cli_label_place(const vae_reader *r, const char *col);
/* Take kept column at out of keep, in place. */
void cli_label_remove(vae_text *keep, size_t at);
/* Is a label's text missing (no label): empty, NA, N/A, NaN, NULL or ?. */
int cli_label_missing(const char *s, size_t len);
/* The class of m whose text is s, or whose number s's equals ("3.0" is
 * "3"); -1 when none is. */
long cli_model_class(const vae_model *m, const char *s, size_t len);
/* A label's text s as m's class into *y (NAN when missing); @return 0, or
 * VAE_EDATA with e naming the classes when it is none of them. */
int cli_label_class(const vae_model *m, const char *s, size_t len, float *y, vae_err *e);
/* The labels of a chunk's rows, kept column at, as m's classes into
 * y[0..keep->rows), the column then taken out of keep when hide is set;
 * *good gets the number of rows before the first bad label (all when
 * none is).  @return 0, or VAE_EDATA naming path, the line (line0 for the
 * chunk's first row) and field. */
int cli_label_read(const vae_model *m, vae_text *keep, size_t at, int hide, float *y,
                   const char *path, unsigned long line0, unsigned long field, size_t *good,
                   vae_err *e);

/* --label VALUE (vae-sample, vae-dec): n times the class of m VALUE names,
 * malloc()ed; a usage error listing the classes when it names none, or
 * when m has no label. */
float *cli_class_option(const struct cli *c, const vae_model *m, const char *value, size_t n);

/* The classes a label column holds, learnt as vae-fit reads it. */
typedef struct cli_classes cli_classes;

cli_classes *cli_classes_new(void);
void cli_classes_free(cli_classes *c);
/* @return the index of text s, added when new: -1 past VAE_MAX_LEVELS
 * classes (or for a text holding a NUL), -2 out of memory. */
long cli_classes_add(cli_classes *c, const char *s, size_t len);
size_t cli_classes_count(const cli_classes *c);
/* Once every label is in: the classes ordered (by value when all are
 * numbers, else bytewise) and the labels y[0..rows) renumbered to match.
 * @return the texts, borrowed. */
const char *const *cli_classes_order(cli_classes *c, float *y, size_t rows);

/* ======================================================================
 * cli_run.c: the filter loop and the worker threads
 * ==================================================================== */

#define CLI_CHUNK 1024      /* rows per chunk of the streaming programs */
#define CLI_MAX_WORKERS 64  /* inference threads at most */

/* A row filter: every input in turn, chunk by chunk, through chunk(). */
struct cli_filter {
	size_t n_in;                        /* model columns each row must have */
	const char *const *names;           /* their names, or NULL */
	/* Write the header line (the first input has one, the output is text);
	 * @return 0 or a VAE_E* code with e set. */
	int (*header)(void *user, const vae_reader *r, vae_writer *w, vae_err *e);
	/* Transform and write one chunk read by r; @return 0 or a VAE_E* code
	 * with e set. */
	int (*chunk)(void *user, const vae_reader *r, const vae_mat *x, const vae_text *keep,
	             vae_writer *w, vae_err *e);
	void *user;
	const vae_model *out_model;         /* whose rows the output holds (vae-dec), or NULL */
	const vae_model *model;             /* whose columns the input rows hold, read with its
	                                     * levels (vae_reader_use_model), or NULL */
	/* After the last input (may be NULL): write a summary; @return as chunk. */
	int (*finish)(void *user, vae_writer *w, vae_err *e);
	/* Before each input is read (may be NULL): e.g. vae_reader_keep_all. */
	void (*prepare)(void *user, vae_reader *r);
	/* Choose r's model and kept columns (may be NULL: by -f, -k and names,
	 * as vae_reader_select does); @return 0 or a VAE_E* code with e set. */
	int (*select)(void *user, const struct cli *c, vae_reader *r, vae_err *e);
	size_t out_width;                   /* numbers per output row (binary formats) */
	/* A model with classes (vae-enc, vae-score), or NULL: each row's label
	 * is read beside it, from the column label names (a header name or a
	 * field number), or when label is NULL from the column of the model's
	 * label's name where the header has one; a chunk's labels are in
	 * c->labels, the column not written unless -k keeps it too. */
	const vae_model *labelled;
	const char *label;
};

/* @return the exit status: the worst of all inputs. */
int cli_filter_run(struct cli *c, const struct cli_filter *f);

/* Inference threads over whole blocks of rows: c->workers of them (-j),
 * each with its own context, so the filters use every core while each row
 * is computed as it would be alone, and outputs do not depend on -j. */
typedef struct cli_workers cli_workers;

/* A program's work on rows [r0, r1) of what it computes, with a context
 * of its own; @return 0 or a VAE_E* code with e set. */
typedef int (*cli_work_fn)(void *user, vae_ctx *ctx, size_t r0, size_t r1, vae_err *e);

/* The workers and their contexts for m; dies on failure. */
cli_workers *cli_workers_new(struct cli *c, const vae_model *m);
/* fn over rows [0, rows), in contiguous parts of whole VAE_BLOCK_ROWS
 * blocks (vae_block_share), one per worker, in parallel.  @return 0, or
 * the first failing part's code with its error copied into e. */
int cli_workers_run(cli_workers *w, size_t rows, cli_work_fn fn, void *user, vae_err *e);
void cli_workers_free(cli_workers *w);

#endif
