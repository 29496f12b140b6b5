/* tests/fuzz/npy.c: the NPY reader (lib/read_tensor.c, through lib/read.c) on
 * any bytes: NumPy .npy (versions 1 to 3, every dtype it takes),
 * the format forced so that every input reaches its parser.  Input: two
 * control bytes (missing values, column selection, rows a chunk, keep all),
 * for select mode 7 "FIELDS\0KEEP\0", then the file. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_reader_input(data, size, VAE_FMT_NPY);
}
