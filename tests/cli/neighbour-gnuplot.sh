# gnuplot plots vae-enc's CSV as it comes (a header line of z1, z2, the
# kept label first): a PNG of the codes, coloured by the kept label, that
# pngcheck finds valid at the size asked.  Needs gnuplot and pngcheck
# (exit 77 without).
. "$TOP/tests/setup"
if ! command -v gnuplot > /dev/null || ! command -v pngcheck > /dev/null; then
	echo "skipped: needs gnuplot (gnuplot-nox) and pngcheck" >&2
	exit 77
fi
awk -v n=300 -v seed=3 -f "$TOP/tests/gen-manifold.awk" |
	awk 'BEGIN { OFS = "," } NR == 1 { print "label", $0; next } { print NR % 3, $0 }' > in.csv
vae-fit -q -j 1 -e 2 -z 2 -k label -o m.vae in.csv
vae-enc -m m.vae -k label in.csv > codes.csv
head -1 codes.csv
gnuplot -e "set terminal png size 320,240; set output 'codes.png'; set datafile separator ',';
	set key autotitle columnhead; plot 'codes.csv' using 2:3:1 with points lc variable pt 7" 2> gnuplot.err
pngcheck codes.png | sed 's/, -\{0,1\}[0-9.]*%)/)/'
