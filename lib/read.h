/* read.h: the reader's state, shared by read.c (input, sniffing, columns),
 * read_text.c (text records) and read_tensor.c (NPY and IDX tensors). */
#ifndef VAE_READ_H
#define VAE_READ_H

#include <csv.h>
#include <zlib.h>

#include "internal.h"

#define IO_BLOCK 65536

/* The raw input: a file descriptor, inflated when it holds gzip members. */
typedef struct io_src {
	int fd;
	int gzip;                   /* 1 once gzip magic was seen */
	int raw_eof, z_end;         /* read(2) said 0; inflate ended a member */
	z_stream z;
	unsigned char *in;          /* IO_BLOCK raw bytes for inflate */
	size_t in_len, in_pos;      /* plain input: bytes read ahead of buf */
} io_src;

/* A tensor's element type and the shape of one row. */
typedef struct io_tensor {
	char kind;                  /* 'f' float, 'i' signed, 'u' unsigned */
	int size, big_endian;       /* bytes per element */
	uint64_t rows, done;        /* rows the header promises; rows read */
	uint32_t image_h, image_w;  /* a row's 2-D shape, 0 if not an image */
	unsigned char *row;         /* one row's bytes */
} io_tensor;

struct vae_reader {
	char *path;                 /* as shown in messages */
	io_src src;
	int format, delim, skip_missing;
	int keep_all;               /* also keep every field's text */
	unsigned char *buf;         /* IO_BLOCK bytes of decompressed input */
	size_t len, pos;
	int eof, finished;          /* the input is at its end; the parser is done */

	struct csv_parser csv;
	int csv_live;               /* csv_init was called */
	unsigned long line;         /* physical line the parser is on */
	unsigned long rec_line;     /* line where the current record began */
	int after_cr;               /* last record ended in \r: a \n next is CRLF */
	int csv_at_start;           /* libcsv is between records (no partial one) */
	int record_ended;           /* on_record ran (in this feed) */

	io_tensor t;                /* NPY and IDX */

	int in_first;               /* parsing the first record into first[] */
	size_t n_fields;            /* fields of the first record (tensor: row width) */
	char **first;               /* its text; the header names if has_header */
	size_t first_cap;
	unsigned long first_line;
	int has_header, first_pending;   /* first record is data not yet read */

	size_t n_cols, n_keep;
	int *col_of, *keep_of;      /* per field: model column / kept column, or -1 */
	size_t *col_field, *keep_field;  /* per model / kept column: its field */

	/* the chunk being filled */
	size_t field;               /* fields seen in the current record */
	vae_mat *x;
	vae_text *keep;
	size_t row, max;
	size_t keep_len;            /* kept text of the complete rows */
	int row_missing;            /* the current row has a missing value */
	unsigned long skipped;
	int rc;                     /* first error, 0 if none */
	vae_err *e;
};

/* Fill buf with the next bytes of input (at least one unless at the end);
 * @return 0 or the error code (also in r->rc). */
int vi_io_refill(vae_reader *r);
/* Make at least n unread bytes available at buf + pos (n <= IO_BLOCK);
 * @return 0, or -1 at the end of input (r->rc set on error). */
int vi_io_need(vae_reader *r, size_t n);
/* Record an error at the current record; @return r->rc. */
int vi_io_fail(vae_reader *r, unsigned long col, int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* Field f of the current row has no usable number (nonfinite: it is a
 * number, but not finite): an error, or with skip_missing and a missing
 * value (empty, NA, NaN, not finite) the row is marked to be dropped. */
void vi_io_bad_value(vae_reader *r, size_t f, int nonfinite, const char *text);
/* Append field text for kept column k of the current row. */
void vi_io_keep(vae_reader *r, size_t k, const char *s, size_t len);
/* The current row is complete: count it, or drop it if a value was missing. */
void vi_io_row_done(vae_reader *r);
int vi_io_text_reserve(vae_text *t, size_t bytes, size_t offs);

/* Text (read_text.c). */
int vi_io_csv_init(vae_reader *r, int format, int delim, vae_err *e);
int vi_io_csv_pump(vae_reader *r);
void vi_io_csv_first_data(vae_reader *r);

/* Tensors (read_tensor.c): parse the header at buf + pos, then read rows. */
int vi_io_npy_header(vae_reader *r);
int vi_io_idx_header(vae_reader *r);
int vi_io_tensor_pump(vae_reader *r);

#endif
