/* cli_options.c: the options every program shares, parsed and checked in
 * one place so that each is spelled, bounded and refused the same way in
 * all six programs, and their --help lines with live defaults. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void check_applies(const struct cli *c, int opt);

/* VAE_PORTABLE=1 is --portable, for engines that run a command as it is
 * (Spark's pipe, Hadoop Streaming); unset, empty or 0, it is off. */
static int portable_env(void)
{
	const char *v = getenv("VAE_PORTABLE");

	return v && *v && strcmp(v, "0") != 0;
}

void cli_init(struct cli *c, const char *prog, unsigned accepts, char **argv)
{
	memset(c, 0, sizeof *c);
	c->accepts = accepts;
	c->keep_help = "columns copied verbatim in front of the output";
	c->header_help = "the first row is a header [detected]";
	c->no_header_help = "the first row is data [detected]";
	c->argv = argv;
	cli_signals();
	opterr = 0;                 /* bad_option() says it in one line */
	c->prog = prog;
	c->in_format = VAE_FMT_AUTO;
	c->out_format = VAE_FMT_AUTO;
	c->header = VAE_HEADER_AUTO;
	c->missing = -1;
	c->precision = 6;
	c->compress = 1;
	c->seed = 1;
	c->out = stdout;
	c->portable = portable_env();
}

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

int cli_choose(const struct cli *c, const char *opt, const char *arg, enum vae_name_kind kind)
{
	size_t n;
	const char *const *names = vae_names(kind, &n);

	return cli_choice(c, opt, arg, names, (int)n);
}

const char *cli_name(enum vae_name_kind kind, int value)
{
	size_t n;
	const char *const *names = vae_names(kind, &n);

	return value >= 0 && (size_t)value < n ? names[value] : "?";
}

/* After --help or --version: the text must have reached stdout. */
static _Noreturn void exit_printed(struct cli *c)
{
	if (fflush(stdout) || ferror(stdout) || fclose(stdout)) {
		cli_output_failed(c, errno);
		cli_end(EXIT_IO);
	}
	cli_end(EXIT_OK);
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
	/* -I takes every format up to png, which is output only; -O every one
	 * but auto, which only reading can sniff. */
	const char *const *formats = vae_names(VAE_NAMES_FORMAT, NULL);

	check_applies(c, opt);
	switch (opt) {
	case 'm': c->model = arg; break;
	case 'o': c->output = arg; break;
	case 'I': c->in_format = cli_choice(c, "-I", arg, formats, VAE_FMT_PNG); break;
	case 'd': c->delim = parse_delim(c, arg); break;
	case CLI_OPT_MISSING: c->missing = cli_choose(c, "--missing", arg, VAE_NAMES_MISSING); break;
	case 'O':
		c->out_format = VAE_FMT_CSV + cli_choice(c, "-O", arg, formats + VAE_FMT_CSV,
		                                         VAE_FMT_PNG + 1 - VAE_FMT_CSV);
		break;
	case CLI_OPT_COMPRESS: c->compress = (int)cli_uint(c, "--compress", arg, 0, 9); break;
	case CLI_OPT_IMAGE: parse_image(c, arg); break;
	case CLI_OPT_TILES: c->tiles = cli_uint(c, "--tiles", arg, 1, 65535); break;
	case 'f': c->fields = arg; break;
	case 'k': c->keep = arg; break;
	case CLI_OPT_HEADER: c->header = VAE_HEADER_YES; break;
	case CLI_OPT_NO_HEADER: c->header = VAE_HEADER_NO; break;
	case 'p': c->precision = (int)cli_uint(c, "-p", arg, 1, 17); break;
	case 's': c->seed = cli_uint(c, "-s", arg, 0, UINT64_MAX); break;
	case 'j': c->threads = (int)cli_uint(c, "-j", arg, 1, 1024); break;
	case 'u': c->unbuffered = 1; break;
	case 'q': c->quiet = 1; break;
	case CLI_OPT_PORTABLE: c->portable = 1; break;
	case CLI_OPT_COMPUTE: c->compute = cli_choose(c, "--compute", arg, VAE_NAMES_COMPUTE); break;
	case 'h':
		help(c);
		exit_printed(c);
	case 'V':
		printf("%s (vae) %s, library %s%s%s\n", c->prog, VAE_VERSION, vae_version(),
		       c->features ? ", " : "", c->features ? c->features : "");
		exit_printed(c);
	case '?':
	case ':':
		bad_option(c, opt);
	default:
		return 0;
	}
	return 1;
}

/* --compute: bf16 where it can run; where it cannot (no oneDNN in the
 * build, no bf16 products in the CPU) the run goes on in f32 and says so,
 * as a script that asks for bf16 everywhere wants.  Portable mode promises
 * the same bytes on every host, which bf16's oneDNN kernels cannot: asking
 * for both is a usage error. */
static void set_compute(struct cli *c)
{
	const char *name = cli_name(VAE_NAMES_COMPUTE, c->compute);
	vae_err e = { 0 };

	if (c->compute == VAE_COMPUTE_F32)
		return;
	if (c->portable)
		cli_usage(c, "--compute %s: portable mode (%s) computes in f32", name,
		          portable_env() ? "VAE_PORTABLE is set" : "--portable");
	if (vae_set_compute(c->compute, &e))
		cli_warn(c, "--compute %s: %s; computing in f32", name, e.msg);
}

void cli_finish_options(struct cli *c, int argc, char **argv, int need_model)
{
	static char *dash[] = { "-" };
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if (need_model && !c->model)
		cli_usage(c, "no model: give one with -m FILE");
	c->inputs = optind < argc ? argv + optind : dash;
	c->n_inputs = optind < argc ? argc - optind : 1;
	if (c->model && !strcmp(c->model, "-") && (c->accepts & CLI_IN_FORMAT))
		for (int i = 0; i < c->n_inputs; i++)
			if (!strcmp(c->inputs[i], "-"))
				cli_usage(c, "-m -: the rows come from stdin too: give them as a file "
				          "argument, or the model as a file");
	c->workers = c->threads ? c->threads : cores > 0 ? (int)cores : 1;
	if (c->workers > CLI_MAX_WORKERS)
		c->workers = CLI_MAX_WORKERS;
	vae_set_threads(1);
	vae_set_portable(c->portable);
	set_compute(c);
}

/* Each shared option's bit, option value, and --help line ("%s" or "%d"
 * or "%llu" stands for its live default, filled in by cli_help_shared). */
static const struct shared {
	unsigned bit;
	int val;
	const char *name, *help;
} SHARED[] = {
	{ .bit = CLI_MODEL, .val = 'm', .name = "--model",
	  .help = "  -m, --model FILE        the model (from vae-fit)\n" },
	{ .bit = CLI_OUTPUT, .val = 'o', .name = "--output",
	  .help = "  -o, --output FILE       write here instead of stdout\n" },
	{ .bit = CLI_IN_FORMAT, .val = 'I', .name = "--input-format",
	  .help = "  -I, --input-format F    auto, csv, tsv, npy or idx [%s]\n" },
	{ .bit = CLI_DELIM, .val = 'd', .name = "--delimiter",
	  .help = "  -d, --delimiter C       field delimiter of text input [sniffed: tab or comma]\n" },
	{ .bit = CLI_MISSING, .val = CLI_OPT_MISSING, .name = "--missing",
	  .help = "      --missing M         error; skip rows with missing values; or mask:\n"
	          "                          leave missing cells out [error; mask for a\n"
	          "                          model trained with masks]\n" },
	{ .bit = CLI_OUT_FORMAT, .val = 'O', .name = "--output-format",
	  .help = "  -O, --output-format F   csv, tsv, npy, idx or png [%s]\n" },
	{ .bit = CLI_COMPRESS, .val = CLI_OPT_COMPRESS, .name = "--compress",
	  .help = "      --compress N        gzip level of npy and idx output, 0 for none; png's\n"
	          "                          zlib level, 0 for 6 [%d]\n" },
	{ .bit = CLI_IMAGE, .val = CLI_OPT_IMAGE, .name = "--image",
	  .help = "      --image WxH         png: the image shape of a row%s\n" },
	{ .bit = CLI_IMAGE, .val = CLI_OPT_TILES, .name = "--tiles",
	  .help = "      --tiles N           png: tiles across [as many as down]\n" },
	{ .bit = CLI_FIELDS, .val = 'f', .name = "--fields",
	  .help = "  -f, --fields LIST       model columns: 1-based like cut (1,3-5) or names\n" },
	{ .bit = CLI_KEEP, .val = 'k', .name = "--keep" },
	{ .bit = CLI_HEADER, .val = CLI_OPT_HEADER, .name = "--header" },
	{ .bit = CLI_NO_HEADER, .val = CLI_OPT_NO_HEADER, .name = "--no-header" },
	{ .bit = CLI_PRECISION, .val = 'p', .name = "--precision",
	  .help = "  -p, --precision N       significant digits of printed floats [%d]\n" },
	{ .bit = CLI_SEED, .val = 's', .name = "--seed",
	  .help = "  -s, --seed N            seed of every random draw [%llu]\n" },
	{ .bit = CLI_THREADS, .val = 'j', .name = "--threads",
	  .help = "  -j, --threads N         compute threads [all cores]\n" },
	{ .bit = CLI_UNBUFFERED, .val = 'u', .name = "--unbuffered",
	  .help = "  -u, --unbuffered        flush after every row\n" },
	{ .bit = CLI_QUIET, .val = 'q', .name = "--quiet",
	  .help = "  -q, --quiet             no progress or summary lines on stderr\n" },
	{ .bit = CLI_PORTABLE, .val = CLI_OPT_PORTABLE, .name = "--portable",
	  .help = "      --portable          the same bytes on any host, at some cost in time\n"
	          "                          [%s]\n" },
	{ .bit = CLI_COMPUTE, .val = CLI_OPT_COMPUTE, .name = "--compute",
	  .help = "      --compute T         matrix products in f32, or bf16 (bfloat16 inputs,\n"
	          "                          f32 sums; where the CPU has them) [f32]\n" },
};

void cli_help_shared(const struct cli *c)
{
	for (size_t i = 0; i < sizeof SHARED / sizeof *SHARED; i++) {
		const struct shared *o = &SHARED[i];
		if (!(c->accepts & o->bit))
			continue;
		if (o->bit == CLI_KEEP)
			printf("  -k, --keep LIST         %s\n", c->keep_help);
		else if (o->bit == CLI_MISSING && c->missing_help)
			fputs(c->missing_help, stdout);
		else if (o->bit == CLI_HEADER)
			printf("      --header            %s\n", c->header_help);
		else if (o->bit == CLI_NO_HEADER)
			printf("      --no-header         %s\n", c->no_header_help);
		else if (o->bit == CLI_IN_FORMAT)
			printf(o->help, cli_name(VAE_NAMES_FORMAT, c->in_format));
		else if (o->bit == CLI_COMPRESS)
			printf(o->help, c->compress);
		else if (o->bit == CLI_PRECISION)
			printf(o->help, c->precision);
		else if (o->bit == CLI_SEED && c->seed_help)
			printf("  -s, --seed N            %s\n", c->seed_help);
		else if (o->bit == CLI_SEED)
			printf(o->help, c->seed);
		else if (o->val == CLI_OPT_IMAGE)
			printf(o->help, c->image_of_model ? " [the model's]" : "");
		else if (o->bit == CLI_PORTABLE)
			printf(o->help, c->portable ? "on: VAE_PORTABLE is set" : "off; on when VAE_PORTABLE=1");
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
