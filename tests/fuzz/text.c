/* tests/fuzz/text.c: the CSV and TSV reader (lib/read.c, lib/read_text.c)
 * on any bytes, through the public API.  Input: two control bytes (format
 * auto, csv or tsv; header; delimiter; missing values; column selection;
 * rows a chunk), for select mode 7 "FIELDS\0KEEP\0", then the file. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_reader_input(data, size, VAE_FMT_AUTO);
}
