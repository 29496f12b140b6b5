/* csvtok.c: the libcsv tokenizer alone, with the options the library's
 * reader sets, over a file: callbacks that only count fields and records.
 * The ceiling of any CSV filter built on libcsv.
 *
 * Usage: csvtok [-r] FILE
 *   prints bytes, records, fields, seconds and MB/s; -r: those five numbers
 *   on one line, for scripts. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct count {
	unsigned long long fields, records;
};

static void on_field(void *s, size_t len, void *user)
{
	(void)s;
	(void)len;
	((struct count *)user)->fields++;
}

static void on_record(int c, void *user)
{
	(void)c;
	((struct count *)user)->records++;
}

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	struct csv_parser p;
	struct count n = { 0, 0 };
	unsigned long long bytes = 0;
	int raw = argc > 1 && strcmp(argv[1], "-r") == 0;
	const char *path = argv[1 + raw];
	size_t got;

	if (argc != 2 + raw) {
		fprintf(stderr, "usage: csvtok [-r] FILE\n");
		return 64;
	}
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		perror(path);
		return 66;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL))
		return 70;
	csv_set_delim(&p, ',');
	csv_set_space_func(&p, no_space);
	double t0 = now();
	while ((got = fread(buf, 1, sizeof buf, fp)) > 0) {
		if (csv_parse(&p, buf, got, on_field, on_record, &n) != got) {
			fprintf(stderr, "csvtok: %s: %s\n", path, csv_strerror(csv_error(&p)));
			return 65;
		}
		bytes += got;
	}
	csv_fini(&p, on_field, on_record, &n);
	double s = now() - t0;
	csv_free(&p);
	fclose(fp);
	if (raw)
		printf("%llu %llu %llu %.4f %.1f\n", bytes, n.records, n.fields, s, bytes / s / 1e6);
	else
		printf("%llu bytes  %llu records  %llu fields  %.3f s  %.1f MB/s\n",
		       bytes, n.records, n.fields, s, bytes / s / 1e6);
	return 0;
}
