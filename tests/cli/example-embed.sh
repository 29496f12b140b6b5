# examples/embed.sh, five epochs: Vehicle's 846 rows become 846 codes of two
# numbers with their class in front, 4 classes, and embed.png is a 480x360
# PNG.  Rscript's export is the bench/data copy byte for byte, and without R
# (an Rscript that fails) the script takes the copy.  Skipped without
# gnuplot or pngcheck.  A few seconds.
. "$TOP/tests/setup"
if ! command -v gnuplot > /dev/null || ! command -v pngcheck > /dev/null; then
	echo "skipped: needs gnuplot and pngcheck" >&2
	exit 77
fi
mkdir bin
printf '#!/bin/sh\nexit 1\n' > bin/Rscript
chmod +x bin/Rscript
EPOCHS=5 WORK=$TMP/w PATH=$TMP/bin:$PATH sh "$TOP/examples/embed.sh" > out.txt
grep -x 'the copy in bench/data (no R with mlbench here)' out.txt
cd w
cmp vehicle.csv "$TOP/bench/data/vehicle.csv"
head -1 embed.csv
awk -F, 'NR > 1 && (NF != 3 || $2 !~ /^-?[0-9.e+-]+$/ || $3 !~ /^-?[0-9.e+-]+$/) { bad++ }
	END { print NR - 1 " codes of 2 numbers: " (bad ? "no" : "yes") }' embed.csv
cat classes.txt
pngcheck embed.png | sed 's/^\(OK: [^ ]* ([^,]*, [^,]*\).*/\1/'
if command -v Rscript > /dev/null && Rscript -e 'library(mlbench)' > /dev/null 2>&1; then
	cd "$TMP"
	EPOCHS=1 WORK=$TMP/r sh "$TOP/examples/embed.sh" > r.txt
	grep -qx 'exported by Rscript' r.txt
	cmp r/vehicle.csv "$TOP/bench/data/vehicle.csv"
fi
