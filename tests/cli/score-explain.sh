# --explain: the column that was perturbed comes first, by name.
. "$TOP/tests/setup"
awk -v n=1000 -v seed=5 -v header=1 -f "$TOP/tests/gen-manifold.awk" > d.csv
vae-fit -q -e 40 -j 1 -o m.vae d.csv
awk -v n=30 -v seed=6 -v header=1 -f "$TOP/tests/gen-manifold.awk" |
	awk -F, -v OFS=, 'NR > 1 { $7 += 4 } { print }' > odd.csv
vae-score -m m.vae --explain 2 odd.csv > e.csv
head -1 e.csv | grep -qx 'elbo,explain1,explain2'
tail -n +2 e.csv | awk -F, '$2 !~ /^x7:/ { bad++ } END { exit bad > 0 }'
# shares are fractions, the first the largest
tail -n +2 e.csv | awk -F, '{ split($2, a, ":"); split($3, b, ":"); if (!(a[2] >= b[2] && a[2] <= 1 && b[2] >= 0)) exit 1 }'
