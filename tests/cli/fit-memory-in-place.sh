# A plain IDX or NPY file whose rows outgrow --memory is read in place, a
# block at a time, without a spool: said on stderr, and the model is the
# one trained from its gzipped copy through a spool, bit for bit; NPY of
# bytes, of big-endian int16 and of float32 give one model too.  Gzipped
# input, or columns chosen with -f, go through the spool.  Needs
# Fashion-MNIST's t10k images and numpy (exit 77 without).
. "$TOP/tests/setup"
FM=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
if [ ! -r "$FM" ] || ! /usr/bin/python3 -c 'import numpy' 2> /dev/null; then
	echo "skipped: needs $FM (dataset-fashion-mnist) and python3-numpy" >&2
	exit 77
fi
fit() { vae-fit -j 1 -l bernoulli -H 32 -z 4 -e 1 --memory 4M "$@" 2>&1 | sed -e 's/ in [0-9.]* s: .*/ .../' -e 's/float32 in .* and/float32 in TMPDIR and/'; }
gzip -dc "$FM" > t10k.idx
fit -o place.vae t10k.idx
fit -q -o spool.vae "$FM"
cmp place.vae spool.vae && echo "IDX read in place: the spooled copy's model"
/usr/bin/python3 -c '
import numpy as np
a = np.fromfile("t10k.idx", dtype=np.uint8, offset=16).reshape(-1, 784)
np.save("u1.npy", a); np.save("i2.npy", a.astype(">i2")); np.save("f4.npy", a.astype("<f4"))'
for t in u1 i2 f4; do fit -q -o $t.vae $t.npy; done
cmp u1.vae i2.vae && cmp u1.vae f4.vae && echo "NPY u1, >i2 and <f4 in place: one model"
fit -f 1-784 -o cols.vae t10k.idx | head -1
