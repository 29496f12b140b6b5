/* tests/fuzz/replay.c: a harness without libFuzzer, for make check: each
 * file named is read and handed to LLVMFuzzerTestOneInput once, as the
 * fuzzer would.  Linked with one harness as tests/fuzz/NAME-replay; exits 0
 * when every input returned (a crash, or under ASan a leak, ends it first). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		unsigned char *b = NULL, *q;
		size_t len = 0, cap = 0, n;

		if (!fp) {
			perror(argv[i]);
			return 2;
		}
		do {
			if (len == cap) {
				cap = cap ? cap * 2 : 65536;
				if (!(q = realloc(b, cap))) {
					perror("realloc");
					return 2;
				}
				b = q;
			}
			n = fread(b + len, 1, cap - len, fp);
			len += n;
		} while (n > 0);
		if (ferror(fp)) {
			perror(argv[i]);
			return 2;
		}
		fclose(fp);
		LLVMFuzzerTestOneInput(b, len);
		free(b);
	}
	return 0;
}
