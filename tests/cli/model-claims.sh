# A model file's architecture is a claim: 72 bytes holding only an
# architecture of 10^12 parameters is a bad model (exit 65) naming the file,
# refused for the file's length before the model is allocated (under a
# 200 MB address-space limit, so that allocating fails the test).
. "$TOP/tests/setup"
. "$TOP/tests/bytes.sh"
{
	bytes 137 86 65 69 13 10 26 10  1 0 0 0  0 0 0 0  72 0 0 0 0 0 0 0
	printf ARCH; bytes 32 0 0 0 0 0 0 0
	bytes 64 66 15 0  2 0 0 0  1 0 0 0  64 66 15 0  1 0 0 0  1 0 0 0  0 0 0 0  0 0 0 0
} > body
# gzip's trailer begins with the CRC-32 of what it compressed, as the model's
gzip -c < body | tail -c 8 | head -c 4 > crc
cat body crc > arch-only.vae
wc -c < arch-only.vae
# A sanitizer's shadow memory takes terabytes of address space: where the
# programs cannot start under the limit, they run without it.
limit=200000
sh -c "ulimit -v $limit && vae-info --version; exit \$?" > /dev/null 2>&1 || limit=unlimited
(
	ulimit -v $limit
	timeout 60 vae-info arch-only.vae || echo "exit $?"
	timeout 60 vae-score -j 1 -m arch-only.vae "$DATA/tiny.csv" || echo "exit $?"
)
