/* tests/fuzz/idx.c: the IDX reader (lib/read_tensor.c, through lib/read.c) on
 * any bytes: IDX (every type 0x08 to 0x0E, any rank),
 * the format forced so that every input reaches its parser.  Input: two
 * control bytes (missing values, column selection, rows a chunk, keep all),
 * for select mode 7 "FIELDS\0KEEP\0", then the file. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_ctl c;
	fuzz_file f;
	const char *fields = NULL, *keep = NULL;
	size_t at = fuzz_ctl_decode(&c, data, size, VAE_FMT_IDX);

	if (c.select == 7)
		at += fuzz_lists(data + at, size - at, &fields, &keep);
	fuzz_file_open(&f, data + at, size - at);
	fuzz_read(f.path, &c, fields, keep);
	fuzz_file_close(&f);
	return 0;
}
