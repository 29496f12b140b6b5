# Rows come out in the user's terms: vae-sample and vae-dec print a
# category as its text, a count as a whole number, a binary column as one of
# its two values; -O npy writes a category as its level's index.
. "$TOP/tests/setup"
awk -v seed=3 -v n=300 -f "$TOP/tests/gen-table.awk" > log.csv
vae-fit -q -e 3 -o m.vae log.csv
vae-sample -m m.vae -n 50 > s.csv
awk -F , 'NR > 1 {
	if ($1 !~ /^(GET|POST)$/) print "method " $1
	if ($2 !~ /^(200|304|404)$/) print "status " $2
	if ($3 !~ /^(page|static|api|login)$/) print "kind " $3
	if ($4 !~ /^[0-9]+$/) print "bytes " $4
	if ($6 !~ /^(yes|no)$/) print "bot " $6
	n++
} END { print n " rows checked" }' s.csv
vae-enc -m m.vae log.csv | vae-dec -m m.vae | awk -F , 'NR > 1 && $3 !~ /^(page|static|api|login)$/ { bad++ } END { print bad + 0 " bad kinds" }'
vae-sample -m m.vae -n 5 -O npy -o s.npy
gzip -dc s.npy | od -A n -t f4 -j 128 -w28 | awk '{
	if ($1 != int($1) || $2 != int($2) || $3 != int($3) || $3 < 0 || $3 > 3 || $2 > 2) bad++
	n++
} END { print bad + 0 " non-index levels in " n " rows" }'
