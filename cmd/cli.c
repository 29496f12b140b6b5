/* cli.c: the programs' messages and exit statuses: one format for every
 * complaint ("prog: place: message"), one mapping from library codes to
 * sysexits values, and one place that throws away a half-written -o. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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
	[VAE_ABOUT_HEADER_GUESS] = { .after = "if it is data, give --no-header" },
	[VAE_ABOUT_DELIMITER_GUESS] = { .after = "the delimiter was guessed to be ','; "
	                                "if it is another, give it with -d, such as -d ';'" },
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
