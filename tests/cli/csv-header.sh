# Header detection: a first row with any non-numeric field is a header;
# --header and --no-header override it.  vae-info shows the column names
# (or "-") and the training rows; the filters write a header line only when
# the input had one.
. "$TOP/tests/setup"
names() {
	vae-info "$1" | awk -F'\t' '/^training rows:/ { print } NF == 4 && $1 ~ /^[0-9]+$/ { n = n " " $2 } END { print "names:" n }'
}
printf 'a,b,c\n1,2,3\n4,5,6.5\n7,8,10\n' > with.csv
printf '1,2,3\n4,5,6.5\n7,8,10\n' > without.csv
echo "with a header:"
vae-fit -q -e 1 -o m.vae with.csv && names m.vae
vae-score -m m.vae with.csv | head -1
echo "without a header:"
vae-fit -q -e 1 -o m.vae without.csv && names m.vae
vae-score -m m.vae without.csv | wc -l
echo "--header on numbers:"
vae-fit -q -e 1 --header -l gaussian -o m.vae without.csv && names m.vae
vae-score -m m.vae --header without.csv | head -1
echo "--no-header with a text column (kept):"
printf 'x,1,2,3\ny,4,5,6.5\n' > text.csv
vae-enc -m m.vae --no-header -k 1 text.csv | cut -d, -f1
echo "--no-header on a header line:"
awk 'BEGIN { print "a,b,c"; for (i = 1; i <= 25; i++) printf "%d.5,%d.25,%d.125\n", i, 2 * i, 3 * i }' > long.csv
vae-fit -q -e 1 --no-header -o m.vae long.csv || echo "exit $?"
test ! -e m.vae.* && echo "no half model"
