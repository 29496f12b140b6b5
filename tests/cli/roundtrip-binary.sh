# The same 50 sampled rows as -p 9 CSV (which round-trips float32), as NPY
# and as IDX, gzipped and plain (--compress 0), read back by vae-enc with
# the format sniffed, give byte-identical codes.  Binary input has no
# header line, so the codes have none either.
. "$TOP/tests/setup"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
vae-sample -m m.vae -n 50 -p 9 > s.csv
vae-sample -m m.vae -n 50 -O npy > s.npy.gz
vae-sample -m m.vae -n 50 -O npy --compress 0 > s.npy
vae-sample -m m.vae -n 50 -O idx > s.idx.gz
vae-sample -m m.vae -n 50 -O idx --compress 0 > s.idx
vae-enc -m m.vae -p 9 s.csv > csv.enc
head -1 csv.enc
tail -n +2 csv.enc > want.enc
wc -l < want.enc
for f in s.npy.gz s.npy s.idx.gz s.idx; do
	vae-enc -m m.vae -p 9 $f | cmp - want.enc && echo "$f: same codes"
	cat $f | vae-enc -m m.vae -p 9 | cmp - want.enc && echo "$f through a pipe: same codes"
done
