# --pvalue: the empirical p-value against the training rows' scores falls
# as the score rises, lies in (0, 1], and is about 1/(n+1) past the largest.
. "$TOP/tests/setup"
awk -v n=500 -v seed=4 -v header=1 -f "$TOP/tests/gen-manifold.awk" > d.csv
vae-fit -q -e 20 -j 1 -o m.vae d.csv
vae-score -m m.vae --pvalue -p 9 d.csv | tail -n +2 | sort -t, -k1 -g > p.csv
awk -F, 'NR > 1 && $2 > prev + 1e-9 { exit 1 } { prev = $2 } $2 <= 0 || $2 > 1 { exit 1 }' p.csv
# the lowest scores have p-values near 1, the highest near 1/501
head -1 p.csv | awk -F, '{ exit !($2 > 0.99) }'
tail -1 p.csv | awk -F, '{ exit !($2 < 0.004) }'
printf 'x1,x2,x3,x4,x5,x6,x7,x8,x9,x10\n9,9,9,9,9,9,9,9,9,9\n' | vae-score -m m.vae --pvalue |
	tail -1 | awk -F, '{ exit !($2 > 0.00199 && $2 < 0.002) }'
