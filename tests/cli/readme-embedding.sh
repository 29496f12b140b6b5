# The README's 2-D embedding recipe draws a point for every row when the
# kept label column is text (gnuplot cannot colour by text: awk numbers the
# labels).  gnuplot's table output lists the points it would draw.
. "$TOP/tests/setup"
command -v gnuplot > /dev/null || { echo "skipped: gnuplot is not installed" >&2; exit 77; }
ex=$TOP/examples/metrics-week.csv
# the day as a text label, seven of them, in front of the ten metrics
awk -F, -v OFS=, 'NR == 1 { $1 = "label" } NR > 1 { $1 = "day-" substr($1, 1, 10) } { $2 = ""; sub(",,", ","); print }' "$ex" > data.csv
vae-fit -q -e 2 -z 2 -k label -o m.vae data.csv
vae-enc -m m.vae -k label data.csv |
	awk -F, 'NR > 1 { if (!($1 in id)) id[$1] = n++; print $2, $3, id[$1] }' > codes.dat
gnuplot -e "set table 'points.txt'; plot 'codes.dat' using 1:2:3 with points pt 7 palette notitle"
echo "rows: $(($(wc -l < data.csv) - 1))"
echo "points: $(grep -c ' i$' points.txt)"
echo "colours: $(awk '/ i$/ { c[$3] = 1 } END { print length(c) }' points.txt)"
