#!/bin/sh
# customers.sh: the table of customers of the pages' examples, with text,
# counts and empty cells: an id, an age, a plan (basic, pro or max), a
# number of visits, a spend, whether the customer churned, and a score.
#
#   examples/customers.sh [ROWS [SEED [full]]] > customers.csv
#
# Without arguments it writes examples/customers.csv as shipped: 300 rows,
# seed 7.  In every third row one cell, of the columns age to score in
# turn, is left empty; with "full", none (the tests punch their own).  Park-Miller draws, exact in any awk's doubles, so
# every awk writes the same bytes.
set -eu
awk -v n="${1:-300}" -v s="${2:-7}" 'function r() { s = (s * 16807) % 2147483647; return s / 2147483647 }
BEGIN {
	print "id,age,plan,visits,spend,churned,score"
	split("basic,pro,max", plan, ",")
	for (i = 1; i <= n; i++) {
		u = r(); p = plan[1 + int(3 * u)]
		printf "c%03d,%d,%s,%d,%.2f,%s,%.3f\n", i, 20 + int(40 * u + 10 * r()), p,
			int(8 * u * r()) + 3 * (p == "max"), exp(2 + 2 * u + 0.5 * r()),
			r() < 0.1 + 0.6 * (p == "basic") ? "yes" : "no", 2 * u - 1 + 0.2 * r()
	}
}' | awk -F, -v OFS=, -v full="${3:-}" '
	full != "full" && NR > 1 && NR % 3 == 0 { k = NR / 3; $(2 + k % 6) = "" } { print }'
