# A missing input: exit 66 and a message naming it, while a row filter still
# processes the other files in order; vae-fit opens all before training and
# writes no model.
. "$TOP/tests/setup"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
tail -n +2 "$DATA/tiny.csv" > rows.csv
sed -n 1,12p rows.csv > p1.csv
sed -n '13,$p' rows.csv > p2.csv
for p in vae-score vae-enc; do
	$p -m m.vae p1.csv p2.csv > want.out
	$p -m m.vae p1.csv nosuch.csv p2.csv > got.out || echo "$p: exit $?"
	cmp got.out want.out && echo "$p: the other files processed"
done
vae-fit -q -e 1 -o new.vae p1.csv nosuch.csv p2.csv || echo "vae-fit: exit $?"
test ! -e new.vae && echo "vae-fit: no model"
