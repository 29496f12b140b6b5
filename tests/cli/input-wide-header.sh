# Matching the model's columns to a header by name takes time in
# proportion to the columns, not to their square: 100,000 named columns fit
# and score within a CPU limit that a scan of the header per column (25 s
# for vae-score on this machine) would far exceed.  (-l gaussian: the
# columns are numbers, not kinds to be surveyed.)
. "$TOP/tests/setup"
awk 'BEGIN { n = 100000; for (i = 1; i <= n; i++) printf "c%d%s", i, i < n ? "," : "\n"
	for (r = 0; r < 3; r++) for (i = 1; i <= n; i++) printf "%d%s", (i * 7 + r) % 10, i < n ? "," : "\n" }' > wide.csv
ulimit -t 10
vae-fit -q -e 1 -H 4 -z 2 -l gaussian -o w.vae wide.csv
echo "scores: $(vae-score -m w.vae wide.csv | wc -l) lines"
# columns in another order than the model's are still found by name
awk -F, -v OFS=, '{ t = $1; $1 = $100000; $100000 = t; print }' wide.csv > swapped.csv
vae-score -m w.vae wide.csv > a
vae-score -m w.vae swapped.csv > b
cmp a b && echo "reordered header: same scores"
