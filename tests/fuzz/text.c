/* tests/fuzz/text.c: the CSV and TSV reader (lib/read.c, lib/read_text.c)
 * on any bytes, through the public API.  Input: two control bytes (format
 * auto, csv or tsv; header; delimiter; missing values; column selection;
 * rows a chunk), for select mode 7 "FIELDS\0KEEP\0", then the file. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_ctl c;
	fuzz_file f;
	const char *fields = NULL, *keep = NULL;
	size_t at = fuzz_ctl_decode(&c, data, size, VAE_FMT_AUTO);

	if (c.select == 7)
		at += fuzz_lists(data + at, size - at, &fields, &keep);
	fuzz_file_open(&f, data + at, size - at);
	fuzz_read(f.path, &c, fields, keep);
	fuzz_file_close(&f);
	return 0;
}
