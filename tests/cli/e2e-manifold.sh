# End to end on points near a 2-D manifold in 10-D with injected outliers:
# reconstruction error well below the data's variance, samples with the
# data's column means and variances, outliers ranked above inliers.
. "$TOP/tests/setup"
awk -v n=3000 -v outliers=15 -v seed=1 -v header=1 -f "$TOP/tests/gen-manifold.awk" > train.csv
awk -v n=1000 -v outliers=20 -v seed=2 -v header=1 -v label=1 -f "$TOP/tests/gen-manifold.awk" > test.csv
# --contamination 0: samples are to have the data's variances, tails included
# (the default leaves each batch's worst tenth out, anomalies and tails alike)
vae-fit -q -j 1 -e 150 --contamination 0 -o m.vae train.csv

# 1. encode and decode: the rows of test.csv's shape, in its units and header
vae-enc -m m.vae -k outlier test.csv | vae-dec -m m.vae -k outlier > rec.csv
test "$(head -1 rec.csv)" = "outlier,x1,x2,x3,x4,x5,x6,x7,x8,x9,x10"
test "$(wc -l < rec.csv)" = "$(wc -l < test.csv)"
paste -d, test.csv rec.csv | awk -F, 'NR > 1 && $11 == 0 {
	for (j = 1; j <= 10; j++) { d = $j - $(j + 12); se += d * d; s += $j; ss += $j * $j; n++ } }
	END { m = s / n; v = ss / n - m * m; mse = se / n
	      printf "reconstruction MSE %.4f, data variance %.4f, ratio %.4f\n", mse, v, mse / v > "/dev/stderr"
	      exit !(mse < 0.05 * v) }'

# 2. samples: per-column means within 0.15 sd and variances within 25% of the data's
vae-sample -m m.vae -n 5000 -s 3 > samples.csv
awk -F, 'FNR == 1 { f++; next }
	{ for (j = 1; j <= 10; j++) { s[f, j] += $j; ss[f, j] += $j * $j }; n[f]++ }
	END { bad = 0
	      for (j = 1; j <= 10; j++) {
		m1 = s[1, j] / n[1]; v1 = ss[1, j] / n[1] - m1 * m1
		m2 = s[2, j] / n[2]; v2 = ss[2, j] / n[2] - m2 * m2
		dm = (m2 - m1) / sqrt(v1); rv = v2 / v1
		if (dm > worst_m || -dm > worst_m) worst_m = dm > 0 ? dm : -dm
		if (rv - 1 > worst_v || 1 - rv > worst_v) worst_v = rv > 1 ? rv - 1 : 1 - rv
		if (dm > 0.15 || dm < -0.15 || rv < 0.75 || rv > 1.25) bad++ }
	      printf "samples: worst mean shift %.3f sd, worst variance ratio off by %.3f\n", worst_m, worst_v > "/dev/stderr"
	      exit bad }' train.csv samples.csv

# 3. scores: the injected outliers rank above the inliers
for metric in elbo recon; do
	vae-score -m m.vae --metric $metric -k outlier test.csv | tail -n +2 > scores.csv
	auc=$(awk -f "$TOP/tests/auc.awk" scores.csv)
	echo "ROC-AUC ($metric): $auc" >&2
	awk -v a="$auc" 'BEGIN { exit !(a > 0.95) }'
done
