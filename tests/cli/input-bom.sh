# A UTF-8 byte-order mark at the start of text, as spreadsheet programs
# write in "CSV UTF-8", is skipped: the first column keeps its name, from a
# file, gzipped and on stdin, with a header line or without.
. "$TOP/tests/setup"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
vae-score -m m.vae "$DATA/tiny.csv" > want.out
{ printf '\357\273\277'; cat "$DATA/tiny.csv"; } > bom.csv
vae-score -m m.vae bom.csv | cmp - want.out && echo "bom: same scores"
vae-score -m m.vae < bom.csv | cmp - want.out && echo "bom on stdin: same scores"
gzip -c bom.csv > bom.csv.gz
vae-score -m m.vae bom.csv.gz | cmp - want.out && echo "bom gzipped: same scores"
vae-score -m m.vae -f a,b,c bom.csv | cmp - want.out && echo "-f a,b,c: the first name found"
vae-fit -q -e 1 -j 1 -o bom.vae bom.csv && cmp bom.vae m.vae && echo "vae-fit: same model"
{ printf '\357\273\277'; tail -n +2 "$DATA/tiny.csv"; } > data.csv
tail -n +2 want.out > rows.out
vae-score -m m.vae data.csv | cmp - rows.out && echo "no header line: the same scores, without one"
printf '\357\273\277' | vae-score -m m.vae > alone.out && echo "a mark alone: $(wc -c < alone.out) bytes out"
