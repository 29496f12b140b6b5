# gen-customers.sh: sourced by the vae-impute tests: a table of customers
# with every column kind, and holes punched in it.
# table N SEED: N rows of customers: an id, an age (a count
# by --types; whole numbers without a 0 are detected real), a cat (plan),
# a count (visits), a positive (spend), a binary (churned) and a real (score).
# Park-Miller draws, exact in any awk's doubles, so every awk makes the same.
table() {
	awk -v n="$1" -v s="$2" 'function r() { s = (s * 16807) % 2147483647; return s / 2147483647 }
	BEGIN {
		print "id,age,plan,visits,spend,churned,score"
		split("basic,pro,max", plan, ",")
		for (i = 1; i <= n; i++) {
			u = r(); p = plan[1 + int(3 * u)]
			printf "c%03d,%d,%s,%d,%.2f,%s,%.3f\n", i, 20 + int(40 * u + 10 * r()), p,
				int(8 * u * r()) + 3 * (p == "max"), exp(2 + 2 * u + 0.5 * r()),
				r() < 0.1 + 0.6 * (p == "basic") ? "yes" : "no", 2 * u - 1 + 0.2 * r()
		}
	}'
}
# holes: in every third row, one cell of columns 2 to 7 in turn is missing,
# in each spelling in turn.
holes() {
	awk -F, -v OFS=, 'BEGIN { n = split(",NA,?,NaN,N/A,null", na, ",") }
		NR > 1 && NR % 3 == 0 { k = NR / 3; $(2 + k % 6) = na[1 + k % n] } { print }'
}
