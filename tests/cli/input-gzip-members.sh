# gzip input, one member or several in a row (as gzip -c a >> f; gzip -c b
# >> f writes them, here split in the middle of a line), reads as the plain
# text: the same model and the same scores.
. "$TOP/tests/setup"
vae-fit -q -e 1 -j 1 -o plain.vae "$DATA/tiny.csv"
vae-score -m plain.vae "$DATA/tiny.csv" > plain.out
gzip -nc < "$DATA/tiny.csv" > one.csv.gz
head -c 100 "$DATA/tiny.csv" | gzip -nc > three.csv.gz
tail -c +101 "$DATA/tiny.csv" | head -c 50 | gzip -nc >> three.csv.gz
tail -c +151 "$DATA/tiny.csv" | gzip -nc >> three.csv.gz
for f in one three; do
	vae-fit -q -e 1 -j 1 -o $f.vae $f.csv.gz
	cmp plain.vae $f.vae && echo "$f: same model"
	vae-score -m plain.vae $f.csv.gz | cmp - plain.out && echo "$f: same scores"
	vae-score -m plain.vae < $f.csv.gz | cmp - plain.out && echo "$f: same scores from stdin"
done
