# Several inputs are read in order, "-" among them: without headers the
# output is the concatenation of each file's output; with headers the first
# one's header is written once and the rows are those of the whole file.
. "$TOP/tests/setup"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
tail -n +2 "$DATA/tiny.csv" > rows.csv
sed -n 1,8p rows.csv > p1.csv
sed -n 9,15p rows.csv > p2.csv
sed -n '16,$p' rows.csv > p3.csv
for p in vae-enc vae-score; do
	for f in p1.csv p2.csv p3.csv; do $p -m m.vae $f; done > each.out
	$p -m m.vae p1.csv p2.csv p3.csv | cmp - each.out && echo "$p: concatenation"
	$p -m m.vae p1.csv - p3.csv < p2.csv | cmp - each.out && echo "$p: with -"
	cat p1.csv p2.csv p3.csv | $p -m m.vae | cmp - each.out && echo "$p: as cat"
	$p -m m.vae rows.csv | cmp - each.out && echo "$p: as the whole"
done
for f in p1.csv p2.csv p3.csv; do (head -1 "$DATA/tiny.csv"; cat $f) > h-$f; done
vae-score -m m.vae "$DATA/tiny.csv" > whole.out
vae-score -m m.vae h-p1.csv h-p2.csv h-p3.csv | cmp - whole.out && echo "headers: one header, all rows"
vae-fit -q -e 1 -j 1 -o many.vae h-p1.csv h-p2.csv h-p3.csv && cmp many.vae m.vae && echo "vae-fit: same model"
