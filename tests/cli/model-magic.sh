# A file without the model magic (a changed byte, or a CSV file) is refused
# as not a model.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
cp m.vae bad.vae
printf X | dd of=bad.vae bs=1 seek=1 conv=notrunc 2> /dev/null
cp "$DATA/tiny.csv" data.csv
for f in bad.vae data.csv; do
	vae-info $f || echo "vae-info $f: exit $?"
	vae-enc -m $f "$DATA/tiny.csv" || echo "vae-enc $f: exit $?"
done
