# --missing skip leaves out every row with a missing value in a model column,
# whatever its spelling (empty, NA, N/A, n/a, NaN, nan, NULL, null, inf,
# -inf; in NPY a NaN), says how many at the end of each input, and the other
# rows come out exactly as from a file without those rows: scores, codes,
# kept fields and the model vae-fit trains.
. "$TOP/tests/setup"
. "$TOP/tests/bytes.sh"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
vae-score -m m.vae "$DATA/tiny.csv" > want.out
# Each spelling alone, in the middle of the rows, in column 2.
for s in '' NA N/A n/a NaN nan NULL null inf -inf; do
	awk -v s="$s" '{ print } NR == 5 { print "0.5," s ",0.25" }' "$DATA/tiny.csv" > one.csv
	vae-score -m m.vae --missing skip one.csv | cmp - want.out && echo "\"$s\": same scores"
done
# All of them in one file, before, between and after the good rows.
awk 'BEGIN { n = split(",NA,N/A,n/a,NaN,nan,NULL,null,inf,-inf", s, ",") }
	NR == 1 { print; next }
	{ print; i++; if (i <= n) print (i % 3 == 1 ? s[i] ",1,2" : i % 3 == 2 ? "1," s[i] ",2" : "1,2," s[i]) }' \
	"$DATA/tiny.csv" > gaps.csv
vae-score -m m.vae --missing skip gaps.csv | cmp - want.out && echo "all: same scores"
vae-enc -m m.vae "$DATA/tiny.csv" > want.enc
vae-enc -m m.vae --missing skip gaps.csv | cmp - want.enc && echo "all: same codes"
# (-q would silence the count, and vae-fit says its epochs without it.)
vae-fit -e 1 -j 1 --missing skip -o gaps.vae gaps.csv 2>&1 | grep skipped >&2
cmp m.vae gaps.vae && echo "all: same model"
# Kept fields of a left-out row are left out with it; a missing value in a
# kept column is no reason to leave a row out.
printf 'id,a,b,c\nr1,1,2,3\nr2,NA,2,3\nNA,4,5,6\n' > kept.csv
vae-score -m m.vae -k id --missing skip kept.csv | cut -d, -f1
# Each input says its own count; NPY NaN rows too.
{ npy_header "$(npy_dict '<f4' '(3, 3)')"; bytes $F1 $F2 $F3 $FNAN $F2 $F3 $F3 $F2 $F1; } > nan.npy
vae-score -m m.vae --missing skip gaps.csv nan.npy one.csv | wc -l
