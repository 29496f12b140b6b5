/* cli.c: the programs' messages and exit statuses: one format for every
 * complaint ("prog: place: message"), one mapping from library codes to
 * sysexits values, and one place that throws away a half-written -o. */
#include <errno.h>
#include <signal.h>
#include <unistd.h>
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

/* What runs before every exit but main's return (cli_on_exit). */
static void (*exit_hook)(int status);

void cli_on_exit(void (*hook)(int status))
{
	exit_hook = hook;
}

void cli_end(int status)
{
	if (exit_hook)
		exit_hook(status);
	exit(status);
}

void cli_usage(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", c->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see '%s --help')\n", c->prog);
	cli_end(EXIT_USAGE);
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

/* What a signal that ends the program must clean up: the -o temporary
 * (its name copied here, so no free can pull it from under the handler;
 * armed only once whole), and a progress bar's unfinished line. */
static char signal_unlink[4096];
static volatile sig_atomic_t signal_unlink_armed, signal_newline;

/* SIGINT, SIGTERM, SIGHUP: remove the temporary (the file it would have
 * replaced stays as it was), end the bar's line, then die of the signal as
 * the default would, so the shell sees 128 + its number. */
static void on_fatal_signal(int sig)
{
	if (signal_unlink_armed)
		unlink(signal_unlink);
	if (signal_newline && write(STDERR_FILENO, "\n", 1) < 0)
		signal_newline = 0;     /* nothing more to be done */
	signal(sig, SIG_DFL);
	raise(sig);
}

/* A closed stderr (2>&1 | head -2, a log reader gone) must never kill a
 * program, least of all vae-fit before it writes its model, so SIGPIPE is
 * ignored: a write to a closed pipe fails with EPIPE instead, and a message
 * that cannot be written is dropped.  stdout keeps SIGPIPE's meaning, in
 * cli_output_failed.  The signals that end a program go through
 * on_fatal_signal, unless they were ignored when it started (nohup). */
void cli_signals(void)
{
	static const int fatal[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa, was;

	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal_signal;
	sigfillset(&sa.sa_mask);        /* one handler at a time */
	for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++)
		if (sigaction(fatal[i], NULL, &was) == 0 && was.sa_handler != SIG_IGN)
			sigaction(fatal[i], &sa, NULL);
}

void cli_signal_cleanup(const char *tmp)
{
	signal_unlink_armed = 0;
	if (tmp && strlen(tmp) < sizeof signal_unlink) {
		strcpy(signal_unlink, tmp);
		signal_unlink_armed = 1;
	}
}

void cli_signal_newline(int on)
{
	signal_newline = on;
}

void cli_output_failed(struct cli *c, int sys)
{
	if (sys == EPIPE) {
		/* The output's reader is gone (| head): end as SIGPIPE always
		 * ended the program, quietly, so the shell sees what it expects. */
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
	if (!c->out_failed)
		cli_warn(c, "%s: write error: %s", out_name(c), strerror(sys ? sys : EIO));
	c->out_failed = 1;
	c->status = EXIT_IO;
}

void cli_io_error(struct cli *c, const char *name, const char *what, int sys)
{
	cli_warn(c, "%s: %s: %s", name, what, strerror(sys));
	cli_exit(c, EXIT_IO);
}

void cli_exit(struct cli *c, int status)
{
	cli_signal_cleanup(NULL);
	vae_outfile_discard(c->outfile);
	cli_end(status);
}

/* The option behind what an error is about (enum vae_about): named before
 * the message, or suggested after it. */
static const struct { const char *before, *after; } ABOUT_HINT[] = {
	[VAE_ABOUT_FIELDS] = { .before = "-f" },
	[VAE_ABOUT_KEEP] = { .before = "-k" },
	[VAE_ABOUT_IMAGE] = { .after = "--image WxH" },
	[VAE_ABOUT_STEP] = { .after = "try a smaller --lr or --clip" },
	[VAE_ABOUT_HEADER_GUESS] = { .after = "if it is data, give --no-header" },
	[VAE_ABOUT_MISSING] = { .after = "--missing mask leaves missing cells out, --missing skip "
	                        "drops their rows" },
	[VAE_ABOUT_TYPES] = { .after = "--types NAME:KIND sets a column's kind" },
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
	cli_exit(c, cli_report(c, e));
}

void cli_nomem(struct cli *c)
{
	cli_warn(c, "out of memory");
	cli_exit(c, EXIT_SOFTWARE);
}
