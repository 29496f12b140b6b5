# A header's sizes are claims: a few bytes claiming rows of millions of
# values are refused as bad data (exit 65) at the row the data cannot back,
# before memory is sized from them; run under a 200 MB address-space limit
# (and a timeout: OpenBLAS spins when memory runs out),
# so that believing a claim fails the test.  A row that really is that wide
# is read.
. "$TOP/tests/setup"
. "$TOP/tests/bytes.sh"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
# 24 bytes: 1 row of 4096 x 4096 ubytes, 8 of them given
bytes 0 0 8 3 0 0 0 1 0 0 16 0 0 0 16 0 1 2 3 4 5 6 7 8 > wide.idx
# 164 bytes: 1 row of 2^31 doubles, 36 bytes of them given
{ npy_header "$(npy_dict '<f8' '(1, 2147483648)')"; bytes $F1 $F2 $F3 $F1 $F2 $F3 $F1 $F2 $F3; } > wide.npy
# no rows at all, of 2^31 floats: nothing will ever back the width
npy_header "$(npy_dict '<f4' '(0, 2147483648)')" > empty-wide.npy
# the same from a pipe, gzipped
gzip -c wide.npy > wide.npy.gz
# A sanitizer's shadow memory takes terabytes of address space: where the
# programs cannot start under the limit, they run without it.
limit=200000
sh -c "ulimit -v $limit && vae-info --version; exit \$?" > /dev/null 2>&1 || limit=unlimited
(
	ulimit -v $limit
	timeout 60 vae-score -j 1 -m m.vae wide.idx || echo "exit $?"
	timeout 60 vae-fit -q -e 1 -j 1 -o x.vae wide.npy || echo "exit $?"
	timeout 60 vae-fit -q -e 1 -j 1 -o x.vae < wide.npy.gz || echo "exit $?"
	timeout 60 vae-enc -j 1 -m m.vae empty-wide.npy || echo "exit $?"
)
# a million floats a row that are there: read, and three of them scored
{ npy_header "$(npy_dict '<f4' '(2, 1000000)')"; head -c 8000000 /dev/zero; } > real.npy
vae-score -j 1 -m m.vae -f 1-3 real.npy | wc -l
vae-score -j 1 -m m.vae real.npy || echo "exit $?"
