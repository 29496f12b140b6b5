# R's write.csv, by default, writes the row numbers as a first column with
# an empty name.  vae-fit leaves it out of the model and says so once (not
# with -q); the other programs find the model's columns by name and leave
# it out too; -f by number takes it, -k keeps it.
. "$TOP/tests/setup"
awk 'NR == 1 { print "\"\"," $0; next } { print "\"" NR - 1 "\"," $0 }' "$DATA/tiny.csv" > r.csv
head -2 r.csv
vae-fit -e 1 -j 1 -o m.vae r.csv r.csv 2>&1 | grep -v ' epoch'
vae-fit -q -e 1 -j 1 -o q.vae r.csv r.csv && cmp m.vae q.vae && echo "-q: no note, same model"
vae-fit -q -e 1 -j 1 -o tiny.vae "$DATA/tiny.csv" "$DATA/tiny.csv"
cmp m.vae tiny.vae && echo "the same model as without the row numbers"
vae-score -m m.vae "$DATA/tiny.csv" > want.out
vae-score -m m.vae r.csv | cmp - want.out && echo "vae-score: the same scores"
vae-score -m m.vae -k 1 r.csv | head -3 | cut -d, -f1 | tr '\n' ' '; echo "(-k 1)"
vae-fit -q -e 1 -j 1 -f 1- -o f.vae r.csv
vae-info f.vae | awk -F'\t' 'NF == 4 && $1 ~ /^[0-9]+$/ { n = n " [" $2 "]" } END { print "-f 1-:" n }'
vae-fit -q -e 1 -j 1 -k 1 -o k.vae r.csv r.csv 2>&1 && cmp k.vae tiny.vae && echo "-k 1: kept, no note"
# a model without names takes columns by position: the unnamed one is left
# out there too, with the note, once for two inputs
tail -n +2 "$DATA/tiny.csv" > noheader.csv
vae-fit -q -e 1 -j 1 -o nonames.vae noheader.csv
vae-score -m nonames.vae "$DATA/tiny.csv" > want.out
vae-score -m nonames.vae r.csv r.csv > got.out
{ cat want.out; tail -n +2 want.out; } | cmp - got.out && echo "vae-score, no names: the same scores"
vae-score -q -m nonames.vae r.csv | cmp - want.out && echo "vae-score -q: no note"
