# -I csv forces comma-separated text even when the first line has a tab: a
# TSV line is then one field.  -I tsv reads it as sniffing does.
. "$TOP/tests/setup"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
tr , '\t' < "$DATA/tiny.csv" > tiny.tsv
vae-score -m m.vae tiny.tsv > want.out
vae-score -m m.vae -I tsv tiny.tsv | cmp - want.out && echo "-I tsv: same scores"
vae-score -m m.vae -I csv tiny.tsv > /dev/null || echo "vae-score -I csv: exit $?"
vae-fit -q -e 1 -j 1 -I csv -o csv.vae tiny.tsv
