/* test-io.c: the row reader, table-driven through the public API: each block
 * is an input (text bytes, or an NPY or IDX tensor built here by hand, maybe
 * gzipped), its options, and the expected matrix or the expected error (code,
 * message, line, column), read from a file and again from a pipe that
 * trickles it a byte at a time; then a float32 round trip csv -> npy.gz ->
 * idx -> csv that must keep every bit. */
#include <float.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "vae.h"

typedef struct buf {
	unsigned char *p;
	size_t len;
} buf;

/* ======================================================================
 * The table
 * ==================================================================== */

enum kind { TEXT, NPY, IDX };
enum gz { PLAIN, GZ, GZ2, GZ_EMPTY2, GZ_TRUNC, GZ_CRC, GZ_METHOD };
enum hdr { H_AUTO, H_YES, H_NO };

typedef struct rcase {
	const char *name;
	int kind;                   /* enum kind */
	const char *in;             /* TEXT: the bytes; NPY: the header dict */
	size_t in_len;
	int version;                /* NPY: 1, 2 or 3 (0: 1) */
	int align;                  /* NPY: header alignment (0: 64) */
	unsigned char idx_type;     /* IDX: element type and dimensions */
	int rank;
	uint32_t dims[4];
	const char *data;           /* NPY and IDX: the bytes after the header */
	size_t data_len;
	size_t cut;                 /* keep only this many bytes (0: all) */
	int gz;                     /* enum gz */
	/* options */
	int format, delim, header, skip;
	const char *fields, *keep;
	const char *model;          /* the model's column names joined by '|' (NULL: none) */
	/* expected: an error ... */
	int code;
	int about;                  /* what it is about (0: not checked) */
	const char *msg;
	unsigned long line, col;
	/* ... or (also before an error) rows x cols values */
	size_t rows, cols;
	const float *want;
	int fmt;                    /* the format found (0: not checked) */
	uint32_t ih, iw;            /* image shape (0 x 0: none) */
	unsigned long skipped;
	const char *names;          /* header names joined by '|' ("": none; NULL: not checked) */
	const char *kept;           /* kept fields of all rows joined by '|' */
} rcase;

#define IN(s) .in = s, .in_len = sizeof s - 1
#define DATA(s) .data = s, .data_len = sizeof s - 1
#define F(...) .want = (const float[]){ __VA_ARGS__ }
#define ERR(c, m, l, k) .code = c, .msg = m, .line = l, .col = k
#define DICT(d, s) IN("{'descr': '" d "', 'fortran_order': False, 'shape': " s ", }")

/* Little-endian float32 bytes. */
#define F1 "\x00\x00\x80\x3f"       /* 1 */
#define F2 "\x00\x00\x00\x40"       /* 2 */
#define F3 "\x00\x00\x40\x40"       /* 3 */
#define FM25 "\x00\x00\x20\xc0"     /* -2.5 */
#define FH "\x00\x00\x00\x3f"       /* 0.5 */
#define FNAN "\x00\x00\xc0\x7f"
#define FINF "\x00\x00\x80\x7f"
#define FNINF "\x00\x00\x80\xff"
#define FSUB "\x01\x00\x00\x00"     /* the least subnormal, 2^-149 */
/* Little-endian float64 bytes. */
#define D1 "\x00\x00\x00\x00\x00\x00\xf0\x3f"
#define DM25 "\x00\x00\x00\x00\x00\x00\x04\xc0"
#define D01 "\x9a\x99\x99\x99\x99\x99\xb9\x3f"     /* 0.1 */
#define D1E300 "\x9c\x75\x00\x88\x3c\xe4\x37\x7e"  /* 1e300 */

static const rcase CASES[] = {
	/* ---- CSV ---- */
	{ "csv: header and two rows", TEXT, IN("a,b\n1,2\n3,4\n"),
	  .rows = 2, .cols = 2, F(1, 2, 3, 4), .fmt = VAE_FMT_CSV, .names = "a|b" },
	{ "csv: no header, no final newline", TEXT, IN("1,2\n-3.5,4e-2"),
	  .rows = 2, .cols = 2, F(1, 2, -3.5f, 4e-2f), .fmt = VAE_FMT_CSV,
	  .names = "" },
	{ "csv: quoted names and numbers, doubled quotes", TEXT,
	  IN("\"a,1\",\"b \"\"q\"\"\"\n\"1.5\",\" 2\"\n3,\"4 \"\n"),
	  .rows = 2, .cols = 2, F(1.5f, 2, 3, 4), .names = "a,1|b \"q\"" },
	{ "csv: a quoted newline in a kept field counts as a line", TEXT,
	  IN("id,x\n\"a\nb\",1\nc,zz\n"), .keep = "id",
	  ERR(VAE_EDATA, "expected a number, got \"zz\"", 4, 2), .rows = 1, .cols = 1, F(1) },
	{ "csv: kept fields verbatim", TEXT, IN("id,x\n\"a,b\",1\n\"\",2\n"), .keep = "id",
	  .rows = 2, .cols = 1, F(1, 2), .kept = "a,b|" },
	{ "csv: CRLF", TEXT, IN("a,b\r\n1,2\r\n3,4\r\n"), .rows = 2, .cols = 2, F(1, 2, 3, 4) },
	{ "csv: CRLF keeps line numbers", TEXT, IN("a,b\r\n1,2\r\n\r\n3,x\r\n"),
	  ERR(VAE_EDATA, "expected a number, got \"x\"", 4, 2), .rows = 1, .cols = 2, F(1, 2) },
	{ "csv: CR alone ends lines", TEXT, IN("a,b\r1,2\r3,4\r"), .rows = 2, .cols = 2, F(1, 2, 3, 4) },
	{ "csv: blank lines are no rows", TEXT, IN("\na,b\n\n1,2\n\n\n3,4\n\n"),
	  .rows = 2, .cols = 2, F(1, 2, 3, 4), .names = "a|b" },
	{ "csv: blank lines keep line numbers", TEXT, IN("a,b\n\n1,2\n\n\n3,4,5\n"),
	  ERR(VAE_EDATA, "expected 2 fields, got 3", 6, 0) },
	{ "csv: spaces around numbers", TEXT, IN("1 , 2\n 3,4 \n"), .rows = 2, .cols = 2, F(1, 2, 3, 4) },
	{ "csv: subnormal and extreme float32", TEXT, IN("1.40129846e-45,-3.40282347e+38\n"),
	  .rows = 1, .cols = 2, F(0x1p-149f, -FLT_MAX) },
	{ "csv: too large for float32", TEXT, IN("1,2\n1e39,2\n"),
	  ERR(VAE_EDATA, "expected a finite number, got \"1e39\"", 2, 1) },
	{ "csv: ragged, fewer", TEXT, IN("1,2\n3\n"), ERR(VAE_EDATA, "expected 2 fields, got 1", 2, 0) },
	{ "csv: a stray quote", TEXT, IN("a,b\n1,2\n3,4\"x\n"),
	  ERR(VAE_EDATA, "a quote inside an unquoted field", 3, 2) },
	{ "csv: text after a closing quote", TEXT, IN("1,2\n\"3\"x,4\n"),
	  ERR(VAE_EDATA, "text after a closing quote", 2, 1) },
	{ "csv: an unclosed quote", TEXT, IN("1,2\n3,\"4\n5,6\n"),
	  ERR(VAE_EDATA, "a quoted field is not closed", 2, 2) },
	{ "csv: not a number", TEXT, IN("a,b\n1,2\n3,n/x\n"),
	  ERR(VAE_EDATA, "expected a number, got \"n/x\"", 3, 2) },
	{ "csv: --header on a numeric first row", TEXT, IN("1,2\n3,4\n"), .header = H_YES,
	  .rows = 1, .cols = 2, F(3, 4), .names = "1|2" },
	{ "csv: --no-header on a named first row", TEXT, IN("a,b\n3,4\n"), .header = H_NO,
	  ERR(VAE_EDATA, "expected a number, got \"a\"", 1, 1) },
	{ "csv: -f 2,3 by number", TEXT, IN("a,b,c\n1,2,3\n4,5,6\n"), .fields = "2,3",
	  .rows = 2, .cols = 2, F(2, 3, 5, 6) },
	{ "csv: -f c,a by name, in input order", TEXT, IN("a,b,c\n1,2,3\n4,5,6\n"), .fields = "c,a",
	  .rows = 2, .cols = 2, F(1, 3, 4, 6) },
	{ "csv: empty input has no fields", TEXT, IN(""), .rows = 0, .cols = 0 },
	{ "csv: only blank lines", TEXT, IN("\n\r\n\n"), .rows = 0, .cols = 0 },
	/* ---- TSV and delimiters ---- */
	{ "tsv: sniffed from a tab", TEXT, IN("a\tb\n1\t2\n3\t4\n"),
	  .rows = 2, .cols = 2, F(1, 2, 3, 4), .fmt = VAE_FMT_TSV, .names = "a|b" },
	{ "tsv: a first line longer than the first read", TEXT, IN("alpha\tbeta\n1\t2\n"),
	  .rows = 1, .cols = 2, F(1, 2), .fmt = VAE_FMT_TSV, .names = "alpha|beta" },
	{ "tsv: a comma in a kept field", TEXT, IN("id\tx\n1,5\t2\n"), .keep = "id",
	  .rows = 1, .cols = 1, F(2), .fmt = VAE_FMT_TSV, .kept = "1,5" },
	{ "tsv: -I tsv on comma text is one field", TEXT, IN("a,b\n1,2\n"), .format = VAE_FMT_TSV,
	  ERR(VAE_EDATA, "expected a number, got \"1,2\"", 2, 1) },
	{ "-I csv on tsv: one field a line", TEXT, IN("a\tb\n1\t2\n"), .format = VAE_FMT_CSV,
	  ERR(VAE_EDATA, "expected a number, got \"1\t2\"", 2, 1) },
	{ "-I csv on tsv: the whole line is the name", TEXT, IN("a\tb\n1\t2\n"), .format = VAE_FMT_CSV,
	  .fields = "a", ERR(VAE_EDATA, "no column \"a\" in the header", 1, 0) },
	{ "-d ';'", TEXT, IN("a;b\n1;2\n\"3;\";4\n"), .delim = ';',
	  ERR(VAE_EDATA, "expected a number, got \"3;\"", 3, 1), .rows = 1, .cols = 2, F(1, 2) },
	{ "-d ';' with decimal commas is not a number", TEXT, IN("a;b\n1,5;2\n"), .delim = ';',
	  ERR(VAE_EDATA, "expected a number, got \"1,5\"", 2, 1) },
	{ "-d ';' rows", TEXT, IN("a;b\n1;2\n3;4\n"), .delim = ';',
	  .rows = 2, .cols = 2, F(1, 2, 3, 4), .fmt = VAE_FMT_CSV, .names = "a|b" },
	/* ---- missing values ---- */
	{ "missing: empty field is an error", TEXT, IN("a,b\n1,\n"),
	  ERR(VAE_EDATA, "expected a number, got an empty field", 2, 2) },
	{ "missing: NA is an error", TEXT, IN("a,b\n1,2\nNA,2\n"),
	  ERR(VAE_EDATA, "expected a number, got \"NA\"", 3, 1) },
	{ "missing: NaN is an error", TEXT, IN("a,b\n1,NaN\n"),
	  ERR(VAE_EDATA, "expected a finite number, got \"NaN\"", 2, 2) },
	{ "missing: inf is an error", TEXT, IN("a,b\n1,2\n3,4\n5,-inf\n"),
	  ERR(VAE_EDATA, "expected a finite number, got \"-inf\"", 4, 2), .rows = 2, .cols = 2,
	  F(1, 2, 3, 4) },
	{ "missing skip: every spelling", TEXT,
	  IN("a,b\n1,2\n,9\nNA,9\n9,N/A\nn/a,9\n9,NaN\nnan,9\n9,NULL\nnull,9\n9,inf\n"
	     "-inf,9\n3,4\n"), .skip = 1,
	  .rows = 2, .cols = 2, F(1, 2, 3, 4), .skipped = 10 },
	{ "missing skip: a first row with NA is data, skipped", TEXT, IN("NA,1\n2,3\n"), .skip = 1,
	  .rows = 1, .cols = 2, F(2, 3), .skipped = 1 },
	{ "missing skip: kept fields of a skipped row go too", TEXT,
	  IN("id,x\na,1\nb,NA\nc,3\nd,\n"), .keep = "id", .skip = 1,
	  .rows = 2, .cols = 1, F(1, 3), .skipped = 2, .kept = "a|c" },
	{ "missing skip: a missing value in a kept column is kept", TEXT,
	  IN("id,x\nNA,1\n"), .keep = "id", .skip = 1, .rows = 1, .cols = 1, F(1), .kept = "NA" },
	{ "missing skip: not a number is still an error", TEXT, IN("a,b\n1,2\nx,9\n"), .skip = 1,
	  ERR(VAE_EDATA, "expected a number, got \"x\"", 3, 1) },
	/* .skip = 2: VAE_MISSING_MASK */
	{ "missing mask: every spelling reads as NAN, the rows kept", TEXT,
	  IN("a,b\n1,2\n,9\nNA,9\n9,N/A\nn/a,9\n9,NaN\nnan,9\n9,NULL\nnull,9\n9,inf\n"
	     "-inf,9\n?,1e39\n3,4\n"), .skip = 2, .rows = 13, .cols = 2,
	  F(1, 2, NAN, 9, NAN, 9, 9, NAN, NAN, 9, 9, NAN, NAN, 9, 9, NAN, NAN, 9, 9, NAN, NAN, 9,
	    NAN, NAN, 3, 4), .skipped = 0 },
	{ "missing mask: on the fast path and libcsv's", TEXT,
	  IN("a,b,c\n1,,3\n\"\",\"2\",\"NA\"\n"), .skip = 2, .rows = 2, .cols = 3,
	  F(1, NAN, 3, NAN, 2, NAN) },
	{ "missing mask: a first row of data", TEXT, IN("NA,1\n2,\n"), .skip = 2,
	  .rows = 2, .cols = 2, F(NAN, 1, 2, NAN) },
	{ "missing mask: kept fields stay as they are", TEXT, IN("id,x\nNA,?\nb,2\n"), .keep = "id",
	  .skip = 2, .rows = 2, .cols = 1, F(NAN, 2), .kept = "NA|b" },
	{ "missing mask: not a number is still an error", TEXT, IN("a,b\n1,NA\nx,9\n"), .skip = 2,
	  ERR(VAE_EDATA, "expected a number, got \"x\"", 3, 1), .rows = 1, .cols = 2, F(1, NAN) },
	{ "missing mask: NA with a NUL byte is no missing value", TEXT, IN("a\nNA\0\n"), .skip = 2,
	  ERR(VAE_EDATA, "expected a number, got \"NA\\x00\"", 2, 1) },
	/* ---- NPY ---- */
	{ "npy v1 <f4 2x3", NPY, DICT("<f4", "(2, 3)"), DATA(F1 F2 F3 FM25 FH FSUB),
	  .rows = 2, .cols = 3, F(1, 2, 3, -2.5f, 0.5f, 0x1p-149f), .fmt = VAE_FMT_NPY },
	{ "npy v2 <f4", NPY, DICT("<f4", "(2, 1)"), .version = 2, DATA(F1 FM25),
	  .rows = 2, .cols = 1, F(1, -2.5f), .fmt = VAE_FMT_NPY },
	{ "npy v3 <f4", NPY, DICT("<f4", "(1, 2)"), .version = 3, DATA(F3 FH),
	  .rows = 1, .cols = 2, F(3, 0.5f) },
	{ "npy v1 aligned to 16 (older numpy)", NPY, DICT("<f4", "(1, 2)"), .align = 16,
	  DATA(F3 FH), .rows = 1, .cols = 2, F(3, 0.5f) },
	{ "npy <f8, rounded to float32", NPY, DICT("<f8", "(1, 3)"), DATA(D1 DM25 D01),
	  .rows = 1, .cols = 3, F(1, -2.5f, 0.1f) },
	{ "npy <f8 beyond float32 is refused at its row and column", NPY, DICT("<f8", "(2, 2)"),
	  DATA(D1 D1 D1 D1E300), ERR(VAE_EDATA, "expected a finite number", 2, 2) },
	{ "npy |i1", NPY, DICT("|i1", "(1, 4)"), DATA("\x01\xff\x80\x7f"),
	  .rows = 1, .cols = 4, F(1, -1, -128, 127) },
	{ "npy |u1", NPY, DICT("|u1", "(1, 4)"), DATA("\x01\xff\x80\x7f"),
	  .rows = 1, .cols = 4, F(1, 255, 128, 127) },
	{ "npy <i1", NPY, DICT("<i1", "(2, 1)"), DATA("\x05\xfb"), .rows = 2, .cols = 1, F(5, -5) },
	{ "npy <i2", NPY, DICT("<i2", "(2, 2)"), DATA("\x01\x00\xff\xff\x00\x80\xff\x7f"),
	  .rows = 2, .cols = 2, F(1, -1, -32768, 32767) },
	{ "npy <u2", NPY, DICT("<u2", "(2, 2)"), DATA("\x01\x00\xff\xff\x00\x80\xff\x7f"),
	  .rows = 2, .cols = 2, F(1, 65535, 32768, 32767) },
	{ "npy <i4", NPY, DICT("<i4", "(1, 4)"),
	  DATA("\x01\x00\x00\x00\xff\xff\xff\xff\x00\x00\x00\x80\x00\x01\x00\x00"),
	  .rows = 1, .cols = 4, F(1, -1, -2147483648.0f, 256) },
	{ "npy <u4", NPY, DICT("<u4", "(1, 3)"), DATA("\x01\x00\x00\x00\xff\xff\xff\xff\x00\x00\x00\x80"),
	  .rows = 1, .cols = 3, F(1, 4294967295.0f, 2147483648.0f) },
	{ "npy <i8", NPY, DICT("<i8", "(1, 3)"),
	  DATA("\xfe\xff\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00\x01\x00\x00\x00"
	       "\x00\x00\x00\x00\x00\x00\x00\x80"),
	  .rows = 1, .cols = 3, F(-2, 4294967296.0f, -9223372036854775808.0f) },
	{ "npy <u8", NPY, DICT("<u8", "(1, 2)"),
	  DATA("\x07\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff"),
	  .rows = 1, .cols = 2, F(7, 18446744073709551615.0f) },
	{ "npy |b1", NPY, DICT("|b1", "(2, 2)"), DATA("\x00\x01\x01\x00"),
	  .rows = 2, .cols = 2, F(0, 1, 1, 0) },
	{ "npy >f4", NPY, DICT(">f4", "(1, 2)"), DATA("\x3f\x80\x00\x00\xc0\x20\x00\x00"),
	  .rows = 1, .cols = 2, F(1, -2.5f) },
	{ "npy >f8", NPY, DICT(">f8", "(1, 2)"),
	  DATA("\x3f\xf0\x00\x00\x00\x00\x00\x00\xc0\x04\x00\x00\x00\x00\x00\x00"),
	  .rows = 1, .cols = 2, F(1, -2.5f) },
	{ "npy >i2", NPY, DICT(">i2", "(1, 4)"), DATA("\x00\x01\xff\xff\x80\x00\x7f\xff"),
	  .rows = 1, .cols = 4, F(1, -1, -32768, 32767) },
	{ "npy >u2", NPY, DICT(">u2", "(1, 2)"), DATA("\x01\x00\xff\xfe"),
	  .rows = 1, .cols = 2, F(256, 65534) },
	{ "npy >i4", NPY, DICT(">i4", "(1, 2)"), DATA("\x00\x00\x01\x00\xff\xff\xff\xfe"),
	  .rows = 1, .cols = 2, F(256, -2) },
	{ "npy >u4", NPY, DICT(">u4", "(1, 1)"), DATA("\x80\x00\x00\x00"),
	  .rows = 1, .cols = 1, F(2147483648.0f) },
	{ "npy >i8", NPY, DICT(">i8", "(1, 1)"), DATA("\xff\xff\xff\xff\xff\xff\xff\xfd"),
	  .rows = 1, .cols = 1, F(-3) },
	{ "npy >u8", NPY, DICT(">u8", "(1, 1)"), DATA("\x00\x00\x00\x01\x00\x00\x00\x00"),
	  .rows = 1, .cols = 1, F(4294967296.0f) },
	{ "npy 1-D: N rows of 1 value", NPY, DICT("<f4", "(3,)"), DATA(F1 F2 F3),
	  .rows = 3, .cols = 1, F(1, 2, 3) },
	{ "npy 3-D: rows of H*W values and an image shape", NPY, DICT("|u1", "(2, 2, 3)"),
	  DATA("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b"),
	  .rows = 2, .cols = 6, F(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), .ih = 2, .iw = 3 },
	{ "npy 4-D: flattened per row, no image", NPY, DICT("|u1", "(2, 2, 1, 2)"),
	  DATA("\x00\x01\x02\x03\x04\x05\x06\x07"),
	  .rows = 2, .cols = 4, F(0, 1, 2, 3, 4, 5, 6, 7) },
	{ "npy 0 rows", NPY, DICT("<f4", "(0, 3)"), .rows = 0, .cols = 3 },
	{ "npy 0 rows wider than a block: no data backs them", NPY, DICT("<f4", "(0, 16385)"),
	  ERR(VAE_EDATA, "the header says 0 rows of 16385 values: no data backs so wide a row", 0, 0) },
	{ "npy 0 rows as wide as a block", NPY, DICT("<f4", "(0, 16384)"), .rows = 0, .cols = 16384 },
	{ "npy first row cut: refused at the header", NPY, DICT("<f4", "(2, 1000000)"), DATA(F1 F2),
	  ERR(VAE_EDATA, "the header says 2 rows of 1000000 values, the data ends in row 1", 1, 0) },
	{ "npy NaN: row and column", NPY, DICT("<f4", "(2, 3)"), DATA(F1 F2 F3 F1 FNAN F3),
	  ERR(VAE_EDATA, "expected a finite number, got \"nan\"", 2, 2),
	  .rows = 1, .cols = 3, F(1, 2, 3) },
	{ "npy -inf: row and column", NPY, DICT("<f4", "(1, 3)"), DATA(F1 F2 FNINF),
	  ERR(VAE_EDATA, "expected a finite number, got \"-inf\"", 1, 3) },
	{ "npy missing skip: NaN and inf rows", NPY, DICT("<f4", "(4, 2)"), .skip = 1,
	  DATA(F1 F2 FNAN F1 F3 FINF FH FM25), .rows = 2, .cols = 2, F(1, 2, 0.5f, -2.5f), .skipped = 2 },
	{ "npy missing mask: NaN and inf read as NAN, a NaN's payload too", NPY,
	  DICT("<f4", "(4, 2)"), .skip = 2, DATA(F1 F2 FNAN F1 F3 FINF "\x05\x00\xc0\xff" FM25),
	  .rows = 4, .cols = 2, F(1, 2, NAN, 1, 3, NAN, NAN, -2.5f) },
	{ "npy missing mask: <f8 NaN", NPY, DICT("<f8", "(2, 1)"), .skip = 2,
	  DATA("\x01\x00\x00\x00\x00\x00\xf8\x7f" D1), .rows = 2, .cols = 1, F(NAN, 1) },
	{ "npy: fortran order, a column after another, read as rows", NPY,
	  IN("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }"), DATA(F1 F2 F3 F1 F2 F3),
	  .rows = 2, .cols = 3, F(1, 3, 2, 2, 1, 3) },
	{ "npy: fortran order 2 x 2 x 2, rows flattened in C order", NPY,
	  IN("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2, 2), }"),
	  DATA(F1 F2 F3 F1 F2 F3 F1 F2), .rows = 2, .cols = 4, .ih = 2, .iw = 2,
	  F(1, 2, 3, 1, 2, 3, 1, 2) },
	{ "npy: fortran order truncated", NPY,
	  IN("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }"), DATA(F1 F2 F3 F1 F2),
	  ERR(VAE_EDATA, "truncated: the header says 2 rows of 3 values", 0, 0) },
	{ "npy: no shape", NPY, IN("{'descr': '<f4', 'fortran_order': False, }"), DATA(F1),
	  ERR(VAE_EDATA, "bad NPY header: no 'fortran_order' or 'shape'", 0, 0) },
	{ "npy: no descr", NPY, IN("{'fortran_order': False, 'shape': (1, 1), }"), DATA(F1),
	  ERR(VAE_EDATA, "bad NPY header: no 'descr' of a plain type", 0, 0) },
	{ "npy: a structured dtype", NPY,
	  IN("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }"),
	  DATA(F1),
	  ERR(VAE_EDATA, "bad NPY header: no 'descr' of a plain type", 0, 0) },
	{ "npy: <c8 refused", NPY, DICT("<c8", "(1, 1)"), DATA(F1 F1),
	  ERR(VAE_EDATA, "NPY dtype '<c8' is not supported", 0, 0) },
	{ "npy: <f2 refused", NPY, DICT("<f2", "(1, 1)"), DATA("\x00\x3c"),
	  ERR(VAE_EDATA, "NPY dtype '<f2' is not supported", 0, 0) },
	{ "npy: shape ()", NPY, DICT("<f4", "()"), DATA(F1),
	  ERR(VAE_EDATA, "a 0-dimensional array holds no rows", 0, 0) },
	{ "npy: shape (2, 0)", NPY, DICT("<f4", "(2, 0)"),
	  ERR(VAE_EDATA, "the rows hold no values (a dimension is 0)", 0, 0) },
	{ "npy: version 4", NPY, DICT("<f4", "(1, 1)"), .version = 4, DATA(F1),
	  ERR(VAE_EDATA, "NPY version 4.0 is not supported", 0, 0) },
	{ "npy: header shorter than it says", NPY, DICT("<f4", "(2, 3)"), .cut = 40,
	  ERR(VAE_EDATA, "too short for its NPY header: 40 bytes, it needs 128", 0, 0) },
	{ "npy: shorter than the magic", TEXT, IN("\x93NUMPY\x01"),
	  ERR(VAE_EDATA, "too short for its NPY header: 7 bytes, it needs 10", 0, 0) },
	{ "npy: data shorter than the shape", NPY, DICT("<f4", "(3, 2)"), DATA(F1 F2 F3 F1 F2),
	  ERR(VAE_EDATA, "truncated: the header says 3 rows of 2 values, the data ends in row 3", 3, 0),
	  .rows = 2, .cols = 2, F(1, 2, 3, 1) },
	{ "npy: data longer than the shape", NPY, DICT("<f4", "(1, 2)"), DATA(F1 F2 "\x00"),
	  ERR(VAE_EDATA, "the data is longer than its header says (1 rows of 2 values)", 0, 0),
	  .rows = 1, .cols = 2, F(1, 2) },
	{ "-I npy on text", TEXT, IN("a,b\n1,2\n3,4\n"), .format = VAE_FMT_NPY,
	  ERR(VAE_EDATA, "not NPY data: bad magic", 0, 0) },
	{ "-I npy on an empty file", TEXT, IN(""), .format = VAE_FMT_NPY,
	  ERR(VAE_EDATA, "too short for its NPY header: 0 bytes, it needs 10", 0, 0) },
	{ "-I idx on an empty file", TEXT, IN(""), .format = VAE_FMT_IDX,
	  ERR(VAE_EDATA, "too short for its IDX header: 0 bytes, it needs 4", 0, 0) },
	{ "-I npy on npy", NPY, DICT("<f4", "(1, 1)"), DATA(F1), .format = VAE_FMT_NPY,
	  .rows = 1, .cols = 1, F(1), .fmt = VAE_FMT_NPY },
	/* ---- IDX ---- */
	{ "idx 0x08 ubyte, rank 1", IDX, .idx_type = 0x08, .rank = 1, .dims = { 4 },
	  DATA("\x00\x01\x7f\xff"), .rows = 4, .cols = 1, F(0, 1, 127, 255), .fmt = VAE_FMT_IDX },
	{ "idx 0x09 sbyte, rank 2", IDX, .idx_type = 0x09, .rank = 2, .dims = { 2, 2 },
	  DATA("\x01\xff\x80\x7f"), .rows = 2, .cols = 2, F(1, -1, -128, 127) },
	{ "idx 0x0B short, rank 2", IDX, .idx_type = 0x0B, .rank = 2, .dims = { 1, 3 },
	  DATA("\x00\x01\xff\xff\x80\x00"), .rows = 1, .cols = 3, F(1, -1, -32768) },
	{ "idx 0x0C int, rank 2", IDX, .idx_type = 0x0C, .rank = 2, .dims = { 1, 2 },
	  DATA("\x00\x01\x00\x00\x80\x00\x00\x00"), .rows = 1, .cols = 2, F(65536, -2147483648.0f) },
	{ "idx 0x0D float, rank 3: an image", IDX, .idx_type = 0x0D, .rank = 3, .dims = { 2, 1, 2 },
	  DATA("\x3f\x80\x00\x00\x40\x00\x00\x00\xc0\x20\x00\x00\x3f\x00\x00\x00"),
	  .rows = 2, .cols = 2, F(1, 2, -2.5f, 0.5f), .ih = 1, .iw = 2 },
	{ "idx 0x0E double, rank 1", IDX, .idx_type = 0x0E, .rank = 1, .dims = { 2 },
	  DATA("\x3f\xf0\x00\x00\x00\x00\x00\x00\xc0\x04\x00\x00\x00\x00\x00\x00"),
	  .rows = 2, .cols = 1, F(1, -2.5f) },
	{ "idx 0x08 rank 3: 28x28-like image shape", IDX, .idx_type = 0x08, .rank = 3, .dims = { 1, 2, 3 },
	  DATA("\x00\x10\x20\x30\x40\xff"), .rows = 1, .cols = 6, F(0, 16, 32, 48, 64, 255),
	  .ih = 2, .iw = 3 },
	{ "idx rank 4: flattened, no image", IDX, .idx_type = 0x08, .rank = 4, .dims = { 1, 2, 1, 2 },
	  DATA("\x01\x02\x03\x04"), .rows = 1, .cols = 4, F(1, 2, 3, 4) },
	{ "idx float NaN: row and column", IDX, .idx_type = 0x0D, .rank = 2, .dims = { 2, 2 },
	  DATA("\x3f\x80\x00\x00\x3f\x80\x00\x00\x7f\xc0\x00\x00\x3f\x80\x00\x00"),
	  ERR(VAE_EDATA, "expected a finite number, got \"nan\"", 2, 1) },
	{ "idx missing skip: double inf", IDX, .idx_type = 0x0E, .rank = 2, .dims = { 2, 1 }, .skip = 1,
	  DATA("\x7f\xf0\x00\x00\x00\x00\x00\x00\xc0\x04\x00\x00\x00\x00\x00\x00"),
	  .rows = 1, .cols = 1, F(-2.5f), .skipped = 1 },
	{ "idx missing mask: double inf", IDX, .idx_type = 0x0E, .rank = 2, .dims = { 2, 1 }, .skip = 2,
	  DATA("\x7f\xf0\x00\x00\x00\x00\x00\x00\xc0\x04\x00\x00\x00\x00\x00\x00"),
	  .rows = 2, .cols = 1, F(NAN, -2.5f) },
	{ "idx: data shorter than the dimensions", IDX, .idx_type = 0x08, .rank = 2, .dims = { 3, 2 },
	  DATA("\x01\x02\x03"), ERR(VAE_EDATA, "truncated: the header says 3 rows of 2 values, "
	  "the data ends in row 2", 2, 0), .rows = 1, .cols = 2, F(1, 2) },
	{ "idx: data longer than the dimensions", IDX, .idx_type = 0x08, .rank = 2, .dims = { 1, 2 },
	  DATA("\x01\x02\x03"), ERR(VAE_EDATA, "the data is longer than its header says "
	  "(1 rows of 2 values)", 0, 0) },
	{ "idx: header shorter than its rank", TEXT, IN("\x00\x00\x08\x03\x00\x00\x00\x02"),
	  ERR(VAE_EDATA, "too short for its IDX header: 8 bytes, it needs 16", 0, 0) },
	{ "idx: unknown type 0x0A", IDX, .idx_type = 0x0A, .rank = 1, .dims = { 1 }, DATA("\x01"),
	  ERR(VAE_EDATA, "unknown magic 00 00 0a 01: not IDX (00 00 type rank), NPY or text", 0, 0) },
	{ "idx: rank 0", TEXT, IN("\x00\x00\x08\x00\x01"),
	  ERR(VAE_EDATA, "unknown magic 00 00 08 00", 0, 0) },
	{ "unknown magic 00 01", TEXT, IN("\x00\x01\x0d\x02\x00\x00\x00\x01\x00\x00\x00\x01"),
	  ERR(VAE_EDATA, "unknown magic 00 01 0d 02", 0, 0) },
	{ "-I idx on text", TEXT, IN("a,b\n1,2\n"), .format = VAE_FMT_IDX,
	  ERR(VAE_EDATA, "unknown magic 61 2c 62 0a", 0, 0) },
	/* ---- a UTF-8 byte-order mark ---- */
	{ "bom: skipped before the header", TEXT, IN("\xef\xbb\xbftime,b\n1,2\n"),
	  .rows = 1, .cols = 2, F(1, 2), .fmt = VAE_FMT_CSV, .names = "time|b" },
	{ "bom: skipped before data", TEXT, IN("\xef\xbb\xbf" "1,2\n3,4\n"),
	  .rows = 2, .cols = 2, F(1, 2, 3, 4), .names = "" },
	{ "bom: tabs are still sniffed", TEXT, IN("\xef\xbb\xbf" "a\tb\n1\t2\n"),
	  .rows = 1, .cols = 2, F(1, 2), .fmt = VAE_FMT_TSV, .names = "a|b" },
	{ "bom: after gunzip", TEXT, IN("\xef\xbb\xbf" "a,b\n1,2\n"), .gz = GZ,
	  .rows = 1, .cols = 2, F(1, 2), .names = "a|b" },
	{ "bom: -f by the first name", TEXT, IN("\xef\xbb\xbf" "a,b\n1,2\n"), .fields = "a",
	  .rows = 1, .cols = 1, F(1) },
	{ "bom: alone is empty input", TEXT, IN("\xef\xbb\xbf"), .rows = 0, .cols = 0 },
	{ "bom: only at the start", TEXT, IN("a,b\n\xef\xbb\xbf" "1,2\n"),
	  ERR(VAE_EDATA, "expected a number, got \"\xef\xbb\xbf" "1\"", 2, 1) },
	/* ---- fields with no name in the header ---- */
	{ "unnamed: R's row names are no model column", TEXT, IN("\"\",\"a\",\"b\"\n\"1\",2,3\n"),
	  .rows = 1, .cols = 2, F(2, 3) },
	{ "unnamed: one in the middle", TEXT, IN("a,,b\n1,2,3\n"), .rows = 1, .cols = 2, F(1, 3) },
	{ "unnamed: -f names it by number", TEXT, IN(",a,b\n1,2,3\n"), .fields = "1-3",
	  .rows = 1, .cols = 3, F(1, 2, 3) },
	{ "unnamed: -k keeps it", TEXT, IN(",a,b\n1,2,3\n"), .keep = "1",
	  .rows = 1, .cols = 2, F(2, 3), .kept = "1" },
	{ "unnamed: no header, no names", TEXT, IN(",1,2\n3,4,5\n"), .skip = 1,
	  .rows = 1, .cols = 3, F(3, 4, 5), .skipped = 1 },
	/* ---- a guessed header against the model's names ---- */
	{ "model names: text ids make no header", TEXT, IN("web1,1,2\nweb2,3,4\n"), .keep = "1",
	  .model = "a|b", .rows = 2, .cols = 2, F(1, 2, 3, 4), .names = "", .kept = "web1|web2" },
	{ "model names: with -f by number", TEXT, IN("web1,1,x,2\nweb2,3,y,4\n"), .keep = "1",
	  .fields = "2,4", .model = "a|b", .rows = 2, .cols = 2, F(1, 2, 3, 4) },
	{ "model names: a header that names one", TEXT, IN("id,b,a\nweb1,1,2\n"), .keep = "1",
	  .model = "a|b", .rows = 1, .cols = 2, F(2, 1), .names = "id|b|a" },
	{ "model names: text in a model column", TEXT, IN("web1,1,x\nweb2,3,4\n"), .keep = "1",
	  .model = "a|b", ERR(VAE_EDATA, "the first line was taken for a header but names none of "
	  "the model's columns", 1, 0), .about = VAE_ABOUT_HEADER_GUESS },
	{ "model names: a field too many", TEXT, IN("web1,1,2,3\nweb2,3,4,5\n"), .keep = "1",
	  .model = "a|b", ERR(VAE_EDATA, "names none of the model's columns", 1, 0),
	  .about = VAE_ABOUT_HEADER_GUESS },
	{ "model names: -k by name needs the header", TEXT, IN("web1,1,2\nweb2,3,4\n"),
	  .keep = "host", .model = "a|b",
	  ERR(VAE_EDATA, "names none of the model's columns", 1, 0), .about = VAE_ABOUT_HEADER_GUESS },
	{ "model names: --header is not a guess", TEXT, IN("web1,1,2\nweb2,3,4\n"), .keep = "1",
	  .header = H_YES, .model = "a|b",
	  ERR(VAE_EDATA, "the model's column \"a\" is not in the header", 1, 0) },
	{ "model names: semicolons in one field", TEXT, IN("a;b\n1;2\n"), .model = "a|b",
	  ERR(VAE_EDATA, "names none of the model's columns", 1, 0),
	  .about = VAE_ABOUT_DELIMITER_GUESS },
	/* ---- a guessed delimiter ---- */
	{ "delimiter: decimal commas after a one-field line", TEXT, IN("a;b\n1,5;2\n"),
	  ERR(VAE_EDATA, "expected 1 fields, got 2", 2, 0), .about = VAE_ABOUT_DELIMITER_GUESS },
	{ "delimiter: semicolons in a one-field row", TEXT, IN("a;b\n1;2\n"),
	  ERR(VAE_EDATA, "expected a number, got \"1;2\"", 2, 1), .about = VAE_ABOUT_DELIMITER_GUESS },
	{ "delimiter: ragged comma rows are not about it", TEXT, IN("a,b\n1,2,3\n"),
	  ERR(VAE_EDATA, "expected 2 fields, got 3", 2, 0), .about = -1 },
	{ "delimiter: -d given is no guess", TEXT, IN("a;b\n1,5;2\n"), .delim = ',',
	  ERR(VAE_EDATA, "expected 1 fields, got 2", 2, 0), .about = -1 },
	/* ---- gzip ---- */
	{ "gzip: csv", TEXT, IN("a,b\n1,2\n3,4\n"), .gz = GZ,
	  .rows = 2, .cols = 2, F(1, 2, 3, 4), .fmt = VAE_FMT_CSV, .names = "a|b" },
	{ "gzip: two members split mid-line", TEXT, IN("a,b\n1,2\n3,4\n"), .gz = GZ2,
	  .rows = 2, .cols = 2, F(1, 2, 3, 4) },
	{ "gzip: an empty member after the data", TEXT, IN("a,b\n1,2\n"), .gz = GZ_EMPTY2,
	  .rows = 1, .cols = 2, F(1, 2) },
	{ "gzip: an empty member alone is empty input", TEXT, IN(""), .gz = GZ, .rows = 0, .cols = 0 },
	{ "gzip: tsv", TEXT, IN("a\tb\n1\t2\n"), .gz = GZ, .rows = 1, .cols = 2, F(1, 2),
	  .fmt = VAE_FMT_TSV },
	{ "gzip: npy in two members split in the header", NPY, DICT("<f4", "(2, 1)"), DATA(F1 F2),
	  .gz = GZ2, .rows = 2, .cols = 1, F(1, 2), .fmt = VAE_FMT_NPY },
	{ "gzip: idx", IDX, .idx_type = 0x08, .rank = 3, .dims = { 1, 1, 2 }, DATA("\x05\x06"),
	  .gz = GZ, .rows = 1, .cols = 2, F(5, 6), .ih = 1, .iw = 2, .fmt = VAE_FMT_IDX },
	{ "gzip: npy NaN keeps row and column", NPY, DICT("<f8", "(2, 2)"),
	  DATA(D1 D1 D1 "\x00\x00\x00\x00\x00\x00\xf8\x7f"), .gz = GZ,
	  ERR(VAE_EDATA, "expected a finite number, got \"nan\"", 2, 2) },
	{ "gzip: truncated", TEXT, IN("1,2\n"), .gz = GZ_TRUNC,
	  ERR(VAE_EDATA, "truncated gzip data", 2, 0) },
	{ "gzip: bad CRC", TEXT, IN("1,2\n"), .gz = GZ_CRC,
	  ERR(VAE_EDATA, "corrupt gzip data: incorrect data check", 1, 0) },
	{ "gzip: unknown method", TEXT, IN("1,2\n"), .gz = GZ_METHOD,
	  ERR(VAE_EDATA, "corrupt gzip data: unknown compression method", 1, 0) },
};

/* ======================================================================
 * Building the inputs
 * ==================================================================== */

static void put(buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	b->p = realloc(b->p, b->len + n + 1);
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

/* Magic, version, header length (2 bytes in v1, 4 after), the dict padded
 * with spaces and ended by '\n' at a multiple of align, then the data. */
static buf npy_bytes(const rcase *c)
{
	int v = c->version ? c->version : 1;
	size_t pre = v == 1 ? 10 : 12, align = c->align ? (size_t)c->align : 64;
	size_t hlen = c->in_len + 1;
	unsigned char head[12] = { 0x93, 'N', 'U', 'M', 'P', 'Y', (unsigned char)v, 0 };
	buf b = { NULL, 0 };

	hlen += (align - (pre + hlen) % align) % align;
	for (size_t i = 0; i < (v == 1 ? 2u : 4u); i++)
		head[8 + i] = (unsigned char)(hlen >> (8 * i));
	put(&b, head, pre);
	put(&b, c->in, c->in_len);
	for (size_t i = c->in_len; i + 1 < hlen; i++)
		put(&b, " ", 1);
	put(&b, "\n", 1);
	put(&b, c->data, c->data_len);
	return b;
}

/* 00 00 type rank, big-endian u32 dimensions, the data. */
static buf idx_bytes(const rcase *c)
{
	unsigned char head[4] = { 0, 0, c->idx_type, (unsigned char)c->rank };
	buf b = { NULL, 0 };

	put(&b, head, 4);
	for (int i = 0; i < c->rank; i++) {
		unsigned char d[4] = { (unsigned char)(c->dims[i] >> 24), (unsigned char)(c->dims[i] >> 16),
		                       (unsigned char)(c->dims[i] >> 8), (unsigned char)c->dims[i] };
		put(&b, d, 4);
	}
	put(&b, c->data, c->data_len);
	return b;
}

/* One gzip member of p[0..n), appended to out (zlib's deflate, gzip wrapper). */
static void gzip_member(buf *out, const unsigned char *p, size_t n)
{
	z_stream z;
	unsigned char tmp[4096];
	int zr;

	memset(&z, 0, sizeof z);
	deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)p;
	z.avail_in = (uInt)n;
	do {
		z.next_out = tmp;
		z.avail_out = sizeof tmp;
		zr = deflate(&z, Z_FINISH);
		put(out, tmp, sizeof tmp - z.avail_out);
	} while (zr == Z_OK);
	deflateEnd(&z);
}

static buf gzip_as(const buf *plain, int how)
{
	buf b = { NULL, 0 };
	size_t half = plain->len / 2;

	if (how == GZ2) {
		gzip_member(&b, plain->p, half);
		gzip_member(&b, plain->p + half, plain->len - half);
		return b;
	}
	gzip_member(&b, plain->p, plain->len);
	if (how == GZ_EMPTY2)
		gzip_member(&b, (const unsigned char *)"", 0);
	else if (how == GZ_TRUNC)
		b.len -= 6;                     /* into the CRC: the member does not end */
	else if (how == GZ_CRC)
		b.p[b.len - 8] ^= 0x55;         /* the CRC-32 of the data */
	else if (how == GZ_METHOD)
		b.p[2] = 7;                     /* CM: deflate is 8 */
	return b;
}

static buf case_bytes(const rcase *c)
{
	buf b = { NULL, 0 };

	if (c->kind == NPY)
		b = npy_bytes(c);
	else if (c->kind == IDX)
		b = idx_bytes(c);
	else
		put(&b, c->in, c->in_len);
	if (c->cut && c->cut < b.len)
		b.len = c->cut;
	if (c->gz != PLAIN) {
		buf z = gzip_as(&b, c->gz);
		free(b.p);
		b = z;
	}
	return b;
}

static int write_temp(char *path, const buf *b)
{
	int fd;

	strcpy(path, "/tmp/vae-test-io.XXXXXX");
	if ((fd = mkstemp(path)) < 0)
		return -1;
	if (write(fd, b->len ? b->p : (unsigned char *)"", b->len) != (ssize_t)b->len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* ======================================================================
 * Reading it back
 * ==================================================================== */

typedef struct result {
	int code;
	vae_err e;
	vae_mat m;                  /* every row read, also those before an error */
	int fmt;
	uint32_t ih, iw;
	int image;
	unsigned long skipped;
	char names[256], kept[256];
} result;

static void join(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(dst);

	snprintf(dst + n, cap - n, "%s%s", n ? "|" : "", s ? s : "(null)");
}

/* Open, select, then read in chunks of chunk rows until the end or an error. */
/* The names of model ("a|b"), into names[] (at most 8); @return how many. */
static size_t split_names(const char *model, char buf[256], const char *names[8])
{
	size_t n = 0;

	snprintf(buf, 256, "%s", model ? model : "");
	for (char *p = buf; model && n < 8; p++) {
		names[n++] = p;
		if (!(p = strchr(p, '|')))
			break;
		*p = 0;
	}
	return n;
}

/* Open, select (by model's names, if any), then read in chunks of chunk
 * rows until the end or an error. */
static result read_file(const char *path, const vae_read_opts *o, const char *fields,
                        const char *keep, const char *model, size_t chunk)
{
	result res;
	vae_reader *r;
	vae_text kt = { 0 };
	long n = 0;
	int first_kept = 1;
	char buf[256];
	const char *names[8];
	size_t n_names = split_names(model, buf, names);

	memset(&res, 0, sizeof res);
	if (!(r = vae_reader_open(path, o, &res.e))) {
		res.code = res.e.code ? res.e.code : -100;
		return res;
	}
	res.fmt = vae_reader_format(r);
	res.image = vae_reader_image(r, &res.ih, &res.iw);
	if ((res.code = vae_reader_select(r, fields, keep, n_names ? names : NULL, n_names, &res.e))) {
		vae_reader_close(r);
		return res;
	}
	for (size_t i = 0; i < vae_reader_n_fields(r) && vae_reader_name(r, i); i++)
		join(res.names, sizeof res.names, vae_reader_name(r, i));
	res.m.cols = vae_reader_n_cols(r);
	do {
		size_t w = res.m.cols ? res.m.cols : 1;
		vae_mat x = { 0, res.m.cols, malloc(chunk * w * sizeof(float)) };
		n = vae_reader_read(r, &x, &kt, chunk, &res.e);
		res.m.x = realloc(res.m.x, (res.m.rows + x.rows) * w * sizeof(float) + 1);
		memcpy(res.m.x + res.m.rows * res.m.cols, x.x, x.rows * res.m.cols * sizeof(float));
		for (size_t i = 0; i < x.rows && vae_reader_n_keep(r); i++)
			for (size_t k = 0; k < kt.cols; k++) {
				size_t len;
				const char *s = vae_text_field(&kt, i, k, &len);
				size_t at = strlen(res.kept);
				snprintf(res.kept + at, sizeof res.kept - at, "%s%s", first_kept ? "" : "|", s);
				first_kept = 0;
			}
		res.m.rows += x.rows;
		free(x.x);
	} while (n > 0);
	res.code = n < 0 ? (int)n : 0;
	res.skipped = vae_reader_skipped(r);
	vae_text_release(&kt);
	vae_reader_close(r);
	return res;
}

/* Bit for bit: -0 is not 0, and any NaN would differ. */
static int same_bits(const float *a, const float *b, size_t n, size_t *at)
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(a + i, b + i, sizeof *a)) {
			*at = i;
			return 0;
		}
	return 1;
}

/* via: "file" or "pipe"; on a pipe, where a gzip error surfaces depends on
 * how the bytes arrived, so its line is not checked. */
static void check_case(const rcase *c, const char *via, const char *path, const result *res)
{
	int any_line = !strcmp(via, "pipe") && c->gz >= GZ_TRUNC;
	char why[1024] = "";
	size_t at = 0;
	int ok = 1;

	if (c->code) {
		if (res->code != c->code || !strstr(res->e.msg, c->msg)
		    || (!any_line && (res->e.line != c->line || res->e.column != c->col))
		    || strcmp(res->e.file, path)
		    || (c->about && res->e.about != (c->about < 0 ? 0 : c->about)))
			snprintf(why, sizeof why, ": got %s (%d) \"%s\" at %s:%lu:%lu about %d",
			         vae_strerror(res->code), res->code, res->code ? res->e.msg : "", res->e.file,
			         res->e.line, res->e.column, res->e.about);
		else if (c->want && !any_line
		         && (res->m.rows != c->rows || !same_bits(res->m.x, c->want, c->rows * c->cols, &at)))
			snprintf(why, sizeof why, ": the %zu rows before the error differ (got %zu)",
			         c->rows, res->m.rows);
		ok = !*why;
		CHECK(ok, "%s, %s: %s \"%s\" at %lu:%lu%s", c->name, via, vae_strerror(c->code), c->msg,
		      c->line, c->col, why);
		return;
	}
	if (res->code)
		snprintf(why, sizeof why, ": %s at %lu:%lu: %s", vae_strerror(res->code), res->e.line,
		         res->e.column, res->e.msg);
	else if (res->m.rows != c->rows || res->m.cols != c->cols)
		snprintf(why, sizeof why, ": got %zu x %zu", res->m.rows, res->m.cols);
	else if (!same_bits(res->m.x, c->want, c->rows * c->cols, &at))
		snprintf(why, sizeof why, ": value %zu is %.9g, expected %.9g", at, res->m.x[at], c->want[at]);
	else if (c->fmt && res->fmt != c->fmt)
		snprintf(why, sizeof why, ": format %d, expected %d", res->fmt, c->fmt);
	else if (res->ih != c->ih || res->iw != c->iw || res->image != (c->ih > 0))
		snprintf(why, sizeof why, ": image %ux%u, expected %ux%u", res->ih, res->iw, c->ih, c->iw);
	else if (res->skipped != c->skipped)
		snprintf(why, sizeof why, ": skipped %lu, expected %lu", res->skipped, c->skipped);
	else if (c->names && strcmp(res->names, c->names))
		snprintf(why, sizeof why, ": names \"%s\", expected \"%s\"", res->names, c->names);
	else if (c->kept && strcmp(res->kept, c->kept))
		snprintf(why, sizeof why, ": kept \"%s\", expected \"%s\"", res->kept, c->kept);
	ok = !*why;
	CHECK(ok, "%s, %s: %zu x %zu%s", c->name, via, c->rows, c->cols, why);
}

/* The reader on stdin, fed through a pipe one byte per write(2), with a
 * pause now and then so reads return a byte or a few: headers, gzip magic,
 * members and records all arrive in pieces.  A longer pause after the
 * second byte makes the first read(s) end there, inside the first line, as
 * when a slow producer writes the start of a line. */
static result read_trickled(const buf *b, const vae_read_opts *o, const char *fields,
                            const char *keep, const char *model)
{
	struct timespec pause = { 0, 20000 }, longer = { 0, 1000000 };
	int p[2], saved;
	pid_t pid;
	result res;

	memset(&res, 0, sizeof res);
	res.code = -100;
	if (pipe(p))
		return res;
	fflush(stdout);                     /* or the child may write it again */
	if ((pid = fork()) == 0) {
		close(p[0]);
		for (size_t i = 0; i < b->len; i++) {
			if (write(p[1], b->p + i, 1) != 1)
				_exit(1);
			if (i == 1)
				nanosleep(&longer, NULL);
			else if (i % 4 == 0)
				nanosleep(&pause, NULL);
		}
		_exit(0);
	}
	close(p[1]);
	saved = dup(STDIN_FILENO);
	if (pid > 0 && saved >= 0 && dup2(p[0], STDIN_FILENO) >= 0)
		res = read_file("-", o, fields, keep, model, 1);
	close(p[0]);
	if (saved >= 0) {
		dup2(saved, STDIN_FILENO);
		close(saved);
	}
	if (pid > 0) {
		kill(pid, SIGKILL);             /* the reader may stop before the end */
		waitpid(pid, NULL, 0);
	}
	return res;
}

static void test_table(void)
{
	for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
		const rcase *c = &CASES[i];
		vae_read_opts o = vae_read_defaults();
		char path[64];
		buf b = case_bytes(c);
		result res;

		o.format = c->format;
		o.delim = c->delim;
		o.header = c->header == H_YES ? VAE_HEADER_YES : c->header == H_NO ? VAE_HEADER_NO
		         : VAE_HEADER_AUTO;
		o.missing = c->skip;
		if (write_temp(path, &b)) {
			CHECK(0, "%s: cannot write a temporary file", c->name);
			free(b.p);
			continue;
		}
		res = read_file(path, &o, c->fields, c->keep, c->model, 2);
		check_case(c, "file", path, &res);
		free(res.m.x);
		res = read_trickled(&b, &o, c->fields, c->keep, c->model);
		check_case(c, "pipe", "<stdin>", &res);
		free(res.m.x);
		free(b.p);
		unlink(path);
	}
}

/* ======================================================================
 * Larger inputs: across the reader's 64 KiB blocks
 * ==================================================================== */

/* 3000 rows of 7 doubles (168000 bytes), plain and gzip, read in chunks of
 * 1000 and of 1: every value as (float) of the double. */
static void test_npy_blocks(void)
{
	size_t rows = 3000, cols = 7, n = rows * cols;
	char dict[128];
	rcase c;
	double *d = malloc(n * sizeof *d);
	float *want = malloc(n * sizeof *want);

	for (size_t i = 0; i < n; i++) {
		d[i] = sin((double)i) * 1e3;
		want[i] = (float)d[i];
	}
	snprintf(dict, sizeof dict, "{'descr': '<f8', 'fortran_order': False, 'shape': (%zu, %zu), }",
	         rows, cols);
	memset(&c, 0, sizeof c);
	c.kind = NPY;
	c.in = dict;
	c.in_len = strlen(dict);
	c.data = (const char *)d;       /* little-endian host assumed, as numpy's '<f8' */
	c.data_len = n * sizeof *d;
	for (int gz = 0; gz <= 1; gz++)
		for (size_t chunk = 1; chunk <= 1000; chunk += 999) {
			vae_read_opts o = vae_read_defaults();
			char path[64];
			size_t at = 0;
			c.gz = gz ? GZ2 : PLAIN;
			buf b = case_bytes(&c);
			int wrote = write_temp(path, &b) == 0;
			result res = read_file(path, &o, NULL, NULL, NULL, chunk);
			int ok = wrote && res.code == 0 && res.m.rows == rows && res.m.cols == cols;
			CHECK(ok && same_bits(res.m.x, want, n, &at),
			      "npy %s, %zu bytes, chunks of %zu: %zu x %zu as float32%s%s (value %zu)",
			      gz ? "in two gzip members" : "plain", b.len, chunk, rows, cols,
			      ok ? "" : ": ", res.code ? res.e.msg : "", at);
			free(res.m.x);
			free(b.p);
			unlink(path);
		}
	free(d);
	free(want);
}

/* Text of rows x cols values v, "%.9g", each line ended by \n, or \r\n
 * on every seventh, and on every fifth a field quoted (libcsv's lines: the
 * reader splits lines without quotes itself). */
static buf csv_text(const float *v, size_t rows, size_t cols)
{
	buf b = { 0 };
	char field[64];

	for (size_t i = 0; i < rows; i++) {
		for (size_t j = 0; j < cols; j++) {
			int quoted = i % 5 == 0 && j == cols / 2;
			int len = snprintf(field, sizeof field, "%s%s%.9g%s", j ? "," : "",
			                   quoted ? "\"" : "", (double)v[i * cols + j], quoted ? "\"" : "");
			put(&b, field, (size_t)len);
		}
		put(&b, i % 7 == 3 ? "\r\n" : "\n", i % 7 == 3 ? 2 : 1);
	}
	return b;
}

/* CSV across the reader's blocks: 4000 lines of 9 values, lines cut by
 * the end of a block, and 3 lines of 12,000 values (over 100 KiB each,
 * longer than a block), plain and gzip, in chunks of 1 and 1000 rows;
 * every value bit for bit. */
static void test_csv_blocks(void)
{
	static const size_t ROWS[] = { 4000, 3 }, COLS[] = { 9, 12000 };

	for (int shape = 0; shape < 2; shape++) {
		size_t rows = ROWS[shape], cols = COLS[shape], n = rows * cols;
		float *want = malloc(n * sizeof *want);
		for (size_t i = 0; i < n; i++)
			want[i] = (float)(sin((double)i) * pow(10, (double)(i % 9) - 4));
		buf text = csv_text(want, rows, cols);
		for (int gz = 0; gz <= 1; gz++)
			for (size_t chunk = 1; chunk <= 1000; chunk += 999) {
				vae_read_opts o = vae_read_defaults();
				char path[64];
				size_t at = 0;
				buf b = gz ? gzip_as(&text, GZ2) : text;
				int wrote = write_temp(path, &b) == 0;
				o.header = VAE_HEADER_NO;
				result res = read_file(path, &o, NULL, NULL, NULL, chunk);
				int ok = wrote && res.code == 0 && res.m.rows == rows && res.m.cols == cols;
				CHECK(ok && same_bits(res.m.x, want, n, &at),
				      "csv %s, %zu bytes, chunks of %zu: %zu x %zu%s%s (value %zu)",
				      gz ? "in two gzip members" : "plain", b.len, chunk, rows, cols, ok ? "" : ": ",
				      res.code ? res.e.msg : "", at);
				free(res.m.x);
				if (gz)
					free(b.p);
				unlink(path);
			}
		free(text.p);
		free(want);
	}
}

/* ======================================================================
 * Round trip: csv (%.9g) -> npy.gz -> idx -> csv (precision 9)
 * ==================================================================== */

/* Rows x cols float32: special values first, then random bit patterns
 * (every exponent: subnormal, tiny, huge, either sign), finite only. */
static float *round_trip_values(size_t n)
{
	static const float special[] = {
		0.0f, -0.0f, 1.0f, -1.0f, 0.1f, -0.1f, FLT_MIN, -FLT_MIN, FLT_MAX, -FLT_MAX,
		0x1p-149f, -0x1p-149f, 0x1.fffffcp-127f, 3.0e-42f, 16777217.0f, 1e-30f, 1e30f,
		123456.789f, 1.17549421e-38f, 3.40282326e+38f
	};
	size_t ns = sizeof special / sizeof *special;
	float *v = malloc(n * sizeof *v);
	vae_rng r;

	vae_rng_seed(&r, 12345);
	for (size_t i = 0; i < n; i++) {
		if (i < ns) {
			v[i] = special[i];
			continue;
		}
		do {
			uint32_t u = (uint32_t)vae_rng_next(&r);
			memcpy(&v[i], &u, 4);
		} while (!isfinite(v[i]));
	}
	return v;
}

/* Write m with the writer in fmt (compress level for npy and idx). */
static int write_with(const char *path, const vae_mat *m, int fmt, int compress, vae_err *e)
{
	vae_write_opts o = vae_write_defaults();
	FILE *f = fopen(path, "wb");
	vae_writer *w;
	int rc = 0;

	if (!f)
		return -100;
	o.format = fmt;
	o.precision = 9;
	o.compress = compress;
	if (!(w = vae_writer_new(f, &o, e))) {
		fclose(f);
		return e->code;
	}
	for (size_t i = 0; i < m->rows && !rc; i++) {
		for (size_t j = 0; j < m->cols; j++)
			vae_write_float(w, m->x[i * m->cols + j]);
		rc = vae_write_end(w, e);
	}
	if (vae_writer_free(w, rc ? NULL : e) && !rc)
		rc = e->code;
	if (fclose(f) && !rc)
		rc = -100;
	return rc;
}

/* Read path back and compare with the original; @return the rows read. */
static result stage(const char *path, const char *what, int want_fmt, const float *v,
                    size_t rows, size_t cols)
{
	vae_read_opts o = vae_read_defaults();
	result res = read_file(path, &o, NULL, NULL, NULL, 1000);
	char why[700] = "";
	size_t at = 0;

	if (res.code)
		snprintf(why, sizeof why, ": %s", res.e.msg);
	else if (res.m.rows != rows || res.m.cols != cols || res.fmt != want_fmt)
		snprintf(why, sizeof why, ": got %zu x %zu in format %d", res.m.rows, res.m.cols, res.fmt);
	else if (!same_bits(res.m.x, v, rows * cols, &at))
		snprintf(why, sizeof why, ": value %zu is %.9g (%a), was %.9g (%a)", at, res.m.x[at],
		         res.m.x[at], v[at], v[at]);
	CHECK(!*why, "round trip, %s: %zu x %zu float32 bit-identical%s", what, rows, cols, why);
	return res;
}

static void test_round_trip(void)
{
	size_t rows = 3000, cols = 7, n = rows * cols;
	float *v = round_trip_values(n);
	char path[64];
	buf text = { NULL, 0 };
	vae_err e = { 0 };
	result a, b, c, d;
	char num[32];
	int rc;

	for (size_t i = 0; i < n; i++) {
		int k = snprintf(num, sizeof num, "%.9g%c", (double)v[i], (i + 1) % cols ? ',' : '\n');
		put(&text, num, (size_t)k);
	}
	if (write_temp(path, &text)) {
		CHECK(0, "round trip: cannot write a temporary file");
		return;
	}
	a = stage(path, "csv written with %.9g", VAE_FMT_CSV, v, rows, cols);
	rc = write_with(path, &a.m, VAE_FMT_NPY, 1, &e);
	CHECK(rc == 0, "round trip: npy.gz written%s%s", rc ? ": " : "", rc ? e.msg : "");
	b = stage(path, "npy.gz from the writer", VAE_FMT_NPY, v, rows, cols);
	rc = write_with(path, &b.m, VAE_FMT_IDX, 0, &e);
	CHECK(rc == 0, "round trip: plain idx written%s%s", rc ? ": " : "", rc ? e.msg : "");
	c = stage(path, "plain idx from the writer", VAE_FMT_IDX, v, rows, cols);
	rc = write_with(path, &c.m, VAE_FMT_CSV, 0, &e);
	CHECK(rc == 0, "round trip: csv written%s%s", rc ? ": " : "", rc ? e.msg : "");
	d = stage(path, "csv from the writer, precision 9", VAE_FMT_CSV, v, rows, cols);
	unlink(path);
	free(a.m.x);
	free(b.m.x);
	free(c.m.x);
	free(d.m.x);
	free(text.p);
	free(v);
}

/* A missing file: VAE_ENOINPUT naming it, errno kept. */
static void test_missing_file(void)
{
	vae_read_opts o = vae_read_defaults();
	vae_err e = { 0 };
	vae_reader *r = vae_reader_open("/nonexistent/vae-test-io.csv", &o, &e);

	CHECK(!r && e.code == VAE_ENOINPUT && e.sys != 0
	      && !strcmp(e.file, "/nonexistent/vae-test-io.csv"),
	      "a missing file: %s, \"%s\"", vae_strerror(e.code), e.msg);
	vae_reader_close(r);
}

/* Each read reports through its own vae_err: a row that fails in the
 * second call lands in the second's, the first call's (and open's) are left
 * as they were, and a third call after the error is told it too. */
static void test_error_per_call(void)
{
	static const char TEXT[] = "a,b\n1,2\n3,4\n5,x\n6,7\n";
	buf b = { (unsigned char *)TEXT, sizeof TEXT - 1 };
	vae_read_opts o = vae_read_defaults();
	vae_err e_open, e1, e2, e3, mark;
	vae_mat x = { 0 };
	char path[64];
	long n1 = -1, n2 = 0, n3 = 0;

	memset(&mark, 0x5a, sizeof mark);
	e_open = e1 = e2 = e3 = mark;
	vae_reader *r = write_temp(path, &b) ? NULL : vae_reader_open(path, &o, &e_open);
	if (r && !vae_reader_select(r, NULL, NULL, NULL, 0, NULL)
	    && !vae_mat_alloc(&x, 2, vae_reader_n_cols(r), NULL)) {
		n1 = vae_reader_read(r, &x, NULL, 2, &e1);
		n2 = vae_reader_read(r, &x, NULL, 2, &e2);
		n3 = vae_reader_read(r, &x, NULL, 2, &e3);
	}
	CHECK(n1 == 2 && !memcmp(&e1, &mark, sizeof mark) && !memcmp(&e_open, &mark, sizeof mark),
	      "error per call: a good read leaves its vae_err and open's alone (%ld rows)", n1);
	CHECK(n2 == VAE_EDATA && e2.code == VAE_EDATA && e2.line == 4 && e2.column == 2
	      && !strcmp(e2.file, path) && !memcmp(&e1, &mark, sizeof mark),
	      "error per call: a later error lands in the later vae_err (%ld, %lu:%lu \"%.60s\")",
	      n2, e2.line, e2.column, n2 < 0 ? e2.msg : "");
	CHECK(n3 == VAE_EDATA && e3.code == VAE_EDATA && e3.line == 4 && !strcmp(e3.msg, e2.msg),
	      "error per call: a read after the error is told it again (%ld)", n3);
	vae_reader_close(r);
	free(x.x);
	unlink(path);
}

int main(void)
{
	test_table();
	test_npy_blocks();
	test_csv_blocks();
	test_round_trip();
	test_missing_file();
	test_error_per_call();
	return check_failed;
}
