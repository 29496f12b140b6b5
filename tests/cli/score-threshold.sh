# -t filters like grep: only rows over the threshold, each as kept columns,
# score and its fields as given; exit 0 when some row is over, 1 when none;
# -c counts them; --all flags every row; -t pQ reads the model's percentiles.
. "$TOP/tests/setup"
awk -v n=600 -v outliers=6 -v seed=3 -v header=1 -v label=1 -f "$TOP/tests/gen-manifold.awk" > d.csv
vae-fit -q -e 20 -j 1 -k outlier -o m.vae d.csv
vae-score -m m.vae -k outlier d.csv > all.csv
# halfway between the 590th and 591st scores: no printed score equals it
t=$(tail -n +2 all.csv | sort -t, -k2 -g | sed -n '590,591p' | cut -d, -f2 |
	awk '{ s += $1 } END { printf "%.9g", s / 2 }')
want=$(tail -n +2 all.csv | awk -F, -v t="$t" '$2 + 0 > t + 0' | wc -l)

vae-score -m m.vae -k outlier -t "$t" d.csv > over.csv
head -1 over.csv | grep -qx 'outlier,elbo,x1,x2,x3,x4,x5,x6,x7,x8,x9,x10,outlier'
test "$(tail -n +2 over.csv | wc -l)" -eq "$want"
tail -n +2 over.csv | awk -F, -v t="$t" '!($2 + 0 > t + 0) || NF != 13 { exit 1 }'
# the fields as given: the last 11 fields of each row equal a row of d.csv
tail -n +2 over.csv | cut -d, -f3- | while read -r row; do grep -qxF -e "$row" d.csv; done

test "$(vae-score -m m.vae -k outlier -t "$t" -c d.csv)" -eq "$want"
vae-score -m m.vae -k outlier -t "$t" --all d.csv > flagged.csv
test "$(wc -l < flagged.csv)" -eq 601
tail -n +2 flagged.csv | awk -F, -v t="$t" '($2 + 0 > t + 0) != $3 { exit 1 }'

if vae-score -m m.vae -t 1e30 d.csv > none.csv; then echo "exit 0 with no row over"; exit 1; else test $? -eq 1; fi
test "$(cat none.csv)" = "elbo,x1,x2,x3,x4,x5,x6,x7,x8,x9,x10,outlier"
test "$(vae-score -m m.vae -t 1e30 -c d.csv || :)" = 0

# p50 of the training rows' scores: about half the training rows are over it
n=$(vae-score -m m.vae -k outlier -t p50 -c d.csv)
test "$n" -ge 270 && test "$n" -le 330
# an error is not "no row over": exit status above 1
vae-score -m m.vae -t p50 d.csv missing.csv > /dev/null 2>&1 || test $? -gt 1
