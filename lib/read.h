/* read.h: the reader's parts: byte source, row sink, text and tensor parsers. */

/* Each part sees only what it needs: the byte source (source.c) knows
 * nothing of rows or formats; the parsers (read_text.c, read_tensor.c) take
 * bytes from a source and hand fields and rows to the sink (read.c), which
 * alone knows the reader. */
#ifndef VAE_READ_H
#define VAE_READ_H

#include <csv.h>
#include <math.h>
#include <zlib.h>

#include "internal.h"

/* ======================================================================
 * The first error, shared by the source and the sink
 * ==================================================================== */

/* A failure anywhere (a read, the gzip stream, a value) is recorded once
 * here and stops everything after it.  It is kept in the reader, not in a
 * caller's vae_err, and handed to the vae_err of each call that ends in it. */
typedef struct vi_fault {
	const char *path;           /* as shown in messages */
	unsigned long line;         /* the record being read (binary: the row), 0 for none */
	int rc;                     /* the first error, 0 if none */
	vae_err err;                /* what and where */
} vi_fault;

/* Record an error at the current record, unless one is recorded already;
 * @return the first error's code. */
int vi_fault_set(vi_fault *f, unsigned long col, int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* ======================================================================
 * The byte source (source.c): plain or gzip, read as it arrives
 * ==================================================================== */

#define VI_SOURCE_BLOCK 65536

typedef struct vi_source {
	unsigned char *buf;         /* VI_SOURCE_BLOCK bytes of decompressed input */
	size_t len, pos;            /* bytes in buf; the next one unread */
	int eof;                    /* the input is at its end */
	vi_fault *fault;            /* where failures go */

	int fd;
	int gzip;                   /* 1 once gzip magic was seen */
	int raw_eof, z_end;         /* read(2) said 0; inflate ended a member */
	z_stream z;
	unsigned char *in;          /* VI_SOURCE_BLOCK raw bytes for inflate */
	size_t in_len, in_pos;      /* plain input: bytes read ahead of buf */
	uint64_t raw_bytes;         /* read from fd so far (before inflate) */
	uint64_t size;              /* fd's size when it is a regular file, else 0 */
} vi_source;

/* Allocate the buffers; @return 0, or -1 when memory is short. */
int vi_source_init(vi_source *s, vi_fault *fault);
/* Read from fd (closed by vi_source_free unless it is stdin), starting
 * inflate if it holds gzip; @return 0 or the error code. */
int vi_source_start(vi_source *s, int fd);
void vi_source_free(vi_source *s);
/* Fill buf with the next bytes of input (at least one unless at the end);
 * @return 0 or the error code. */
int vi_source_refill(vi_source *s);
/* Make at least n unread bytes available at buf + pos (n <= VI_SOURCE_BLOCK);
 * @return 0, or -1 at the end of input (the fault set on error). */
int vi_source_need(vi_source *s, size_t n);

/* ======================================================================
 * How a model column's cells become values (read.c, survey.c)
 * ==================================================================== */

enum vi_how {
	VI_PLAIN,                   /* a number, as it is */
	VI_COUNT,                   /* a whole number >= 0 */
	VI_POSITIVE,                /* a number > 0 */
	VI_LEVELS,                  /* a level's text, read as its index (binary input:
	                             * the index itself) */
	VI_SURVEY                   /* learnt by the survey: a number, or a text's code */
};

/* A model column that is read otherwise than as a plain number. */
typedef struct vi_coding {
	int how;                    /* enum vi_how */
	vi_levels *levels;          /* VI_LEVELS: the model's level texts */
	size_t *index;              /* VI_LEVELS: each entry of levels -> its level index
	                             * (the first, should the model repeat a text) */
	size_t n_levels;            /* VI_LEVELS */
	long other;                 /* VI_LEVELS: the level of values not seen, or -1 */
	const char *kind;           /* the kind's name, for messages */
	char *what;                 /* the column as messages name it: column "x", field 3 */
} vi_coding;

/* v, read by the CSV fast path, is column c's value as it is. */
/* The greatest count: float32 holds every whole number up to it, and a
 * Poisson's divergence past it overflows. */
#define VI_COUNT_MAX 16777216.0f

static inline int vi_coding_fast(const vi_coding *c, float v)
{
	return c->how == VI_PLAIN || (c->how == VI_COUNT && v >= 0 && v <= VI_COUNT_MAX && v == floorf(v))
	       || (c->how == VI_POSITIVE && v > 0);
}

/* The survey's columns learn their cells (survey.c).  The sink hands over
 * a model cell that is neither missing nor a number that is not finite. */
size_t vi_survey_width(const vae_survey *s);
/* Column j's number v, spelled len bytes at text (NULL: from binary input,
 * spelled here when needed).  @return 0, or -1 when memory is short. */
int vi_survey_number(vae_survey *s, size_t j, float v, const char *text, size_t len);
/* Column j's text, no number: its code into *out (a NaN whose payload is
 * the text's entry + 1, written by memcpy).  @return 0, or -1 when memory
 * is short. */
int vi_survey_text(vae_survey *s, size_t j, const char *text, size_t len, float *out);

/* A field's len bytes as a message quotes them, in out (cap bytes): a byte
 * that does not print as \xHH, cut with "..." when too long.  @return out. */
const char *vi_visible(char *out, size_t cap, const char *text, size_t len);

/* ======================================================================
 * The row sink (read.c): where the parsers deliver fields and rows
 * ==================================================================== */

typedef struct vi_sink {
	vi_fault fault;
	int missing;                /* enum vae_missing */
	int keep_all;               /* also keep every field's text */
	int impossible;             /* a value its column's kind cannot take reads as
	                             * VAE_IMPOSSIBLE, not as an error */
	int comma_guessed;          /* text: the delimiter was guessed to be a comma */

	/* the fields of a record and where each goes */
	size_t n_fields;            /* fields of the first record (tensor: row width) */
	size_t n_cols, n_keep;
	int *col_of, *keep_of;      /* per field: model column / kept column, or -1 */
	vi_coding *code;            /* per model column, or NULL when each is a plain number */
	vae_survey *survey;         /* learning the columns (VI_SURVEY), or NULL */

	/* the chunk being filled */
	vae_mat *x;
	vae_text *keep;             /* NULL when no text is kept */
	size_t row, max;
	size_t keep_len;            /* kept text of the complete rows */
	int row_missing;            /* the current row has a missing value */
	size_t row_holes;           /* its model cells read as missing (mask) */
	int need_one;               /* a row must have a model cell (a model's, a survey's) */
	int held_rc;                /* skip: the current row's first bad value, told at */
	vae_err held;               /* its end unless a missing value drops the row */
	unsigned long skipped;
} vi_sink;

/* Field f of the current row as text: its number to its model column,
 * its text to its kept columns. */
void vi_sink_field(vi_sink *s, size_t f, const char *text, size_t len);
/* Field f of the current row, a model column, len bytes of text (NUL
 * bytes shown in the message), has no usable number (nonfinite: it is a
 * number, but not finite): an error, or when it is a missing value (empty,
 * NA, NaN, ?, not finite), with VAE_MISSING_SKIP the row is marked to be
 * dropped and with VAE_MISSING_MASK its cell is NAN. */
void vi_sink_bad_value(vi_sink *s, size_t f, int nonfinite, const char *text, size_t len);
/* Field f of the current row in binary input, the value v. */
void vi_sink_number(vi_sink *s, size_t f, double v);
/* Append field text for kept column k of the current row. */
void vi_sink_keep(vi_sink *s, size_t k, const char *text, size_t len);
/* The current row is complete: count it, or drop it if a value was missing. */
void vi_sink_row_done(vi_sink *s);

/* ======================================================================
 * Delimited text (read_text.c)
 * ==================================================================== */

typedef struct vi_text {
	vi_source *src;
	vi_sink *sink;
	struct csv_parser csv;
	int live;                   /* csv_init was called */
	int delim;
	unsigned long line;         /* physical line the parser is on */
	int after_cr;               /* last record ended in \r: a \n next is CRLF */
	int at_start;               /* libcsv is between records (no partial one) */
	int record_ended;           /* on_record ran (in this feed) */
	int finished;               /* csv_fini ran */
	size_t field;               /* fields seen in the current record */

	int in_first;               /* parsing the first record into first[] */
	char **first;               /* its text: the header names, or data */
	size_t first_cap;
	unsigned long first_line;
} vi_text;

/* Start a parser on the bytes at src (delimiter from format, or sniffed
 * from the first line); @return 0, or -1 when memory is short. */
int vi_text_init(vi_text *t, vi_source *src, vi_sink *sink, int format, int delim);
void vi_text_free(vi_text *t);
/* Parse until the chunk is full, the input ends or an error: the first
 * record into first[], then rows; @return 0 or the error code. */
int vi_text_pump(vi_text *t);
/* Deliver the first record, when it was data, as the next row. */
void vi_text_first_data(vi_text *t);

/* ======================================================================
 * NPY and IDX tensors (read_tensor.c)
 * ==================================================================== */

typedef struct vi_tensor {
	vi_source *src;
	vi_sink *sink;
	char kind;                  /* 'f' float, 'i' signed, 'u' unsigned */
	int size, big_endian;       /* bytes per element */
	uint64_t rows, done;        /* rows the header promises; rows read */
	uint64_t data_at;           /* the first row's offset in the (inflated) bytes */
	uint32_t image_h, image_w;  /* a row's 2-D shape, 0 if not an image */
	unsigned char *row;         /* one row's bytes */
	int primed;                 /* row holds the first row, read with the header */
	int finished;               /* the end of input was checked */
	/* NPY in Fortran order: the whole array, a row gathered from it */
	int fortran;
	unsigned char *all;
	uint64_t *field_at;         /* field f of row i is element i + field_at[f] */
} vi_tensor;

/* Tie t to src and sink, and parse the header at src's buf + pos, setting
 * the sink's n_fields; @return 0 or the error code. */
int vi_npy_header(vi_tensor *t, vi_source *src, vi_sink *sink);
int vi_idx_header(vi_tensor *t, vi_source *src, vi_sink *sink);
void vi_tensor_free(vi_tensor *t);
/* Read rows until the chunk is full or the data ends; @return 0 or the
 * error code. */
int vi_tensor_pump(vi_tensor *t);

#endif
