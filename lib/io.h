/* io.h: the reader's state, shared by io.c (opening, columns) and io_csv.c (records). */
#ifndef VAE_IO_H
#define VAE_IO_H

#include <csv.h>
#include <zlib.h>

#include "internal.h"

#define IO_BLOCK 65536

struct vae_reader {
	char *path;                 /* as shown in messages */
	gzFile gz;
	int format, delim;
	struct csv_parser csv;
	unsigned char *buf;         /* IO_BLOCK bytes of decompressed input */
	size_t len, pos;
	int eof, finished;          /* gzread at its end; csv_fini called */

	unsigned long line;         /* physical line the parser is on */
	unsigned long rec_line;     /* line where the current record began */
	int after_cr;               /* last record ended in \r: a \n next is CRLF */

	int in_first;               /* parsing the first record into first[] */
	size_t n_fields;            /* fields of the first record */
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
	int rc;                     /* first error, 0 if none */
	vae_err *e;
};

/* Feed input to the record parser until the first record is complete or
 * max rows are read; @return 0 or the error code (also in r->rc). */
int vae_io_pump(vae_reader *r);
/* Read the next block; @return 0 or the error code. */
int vae_io_refill(vae_reader *r);
/* One field and one record end, as libcsv delivers them. */
void vae_io_field(void *s, size_t len, void *data);
void vae_io_record(int c, void *data);

#endif
