# gen-manifold.awk: points on a 2-D manifold embedded in 10-D, plus noise,
# with a few injected outliers.  Variables: n (rows), outliers (count),
# seed, header (1 prints one), label (1 appends a 0/1 outlier column).
# Each row: x_j = a_j sin(t1 + p_j) + b_j t2 + c_j t1 t2 + N(0, 0.05^2).
function gauss() { return sqrt(-2 * log(1 - rand())) * cos(6.283185307179586 * rand()) }
BEGIN {
	if (n == "") n = 1000
	if (outliers == "") outliers = 0
	if (seed == "") seed = 1
	srand(seed)
	for (j = 1; j <= 10; j++) {
		a[j] = 1 + j / 5; p[j] = j / 3; b[j] = (j % 3) - 1; c[j] = 0.3 * ((j % 4) - 1.5)
	}
	if (header) {
		for (j = 1; j <= 10; j++) printf "%sx%d", (j > 1 ? "," : ""), j
		printf label ? ",outlier\n" : "\n"
	}
	for (i = 1; i <= n; i++) {
		t1 = 3 * rand() - 1.5; t2 = 2 * rand() - 1   # an open patch, not a loop
		out = i % int(n / (outliers + 1)) == 0 && outliers > 0 && i <= n - 1
		for (j = 1; j <= 10; j++) {
			v = a[j] * sin(t1 + p[j]) + b[j] * t2 + c[j] * t1 * t2 + 0.05 * gauss()
			if (out) v += 0.3 * gauss()     # pushed off the manifold
			printf "%s%.5f", (j > 1 ? "," : ""), v
		}
		printf label ? ",%d\n" : "\n", out
	}
}
