# A truncated model file is refused, saying so, by vae-info and vae-enc: cut
# in its body (the header's length disagrees) and inside the header.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
size=$(wc -c < m.vae)
head -c $((size / 2)) m.vae > half.vae
head -c 20 m.vae > header.vae
for f in half.vae header.vae; do
	vae-info $f > /dev/null 2> err || echo "vae-info $f: exit $?"
	vae-enc -m $f "$DATA/tiny.csv" 2>> err || echo "vae-enc $f: exit $?"
	sed "s/ $size / SIZE /; s/ $((size / 2))\$/ HALF/" err >&2
done
