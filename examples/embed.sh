#!/bin/sh
# embed.sh: a real table in two dimensions, plotted by class.  Takes a few
# seconds.
#
# 1. The table: mlbench's Vehicle, 846 silhouettes of four model vehicles
#    (bus, opel, saab, van) described by 18 shape features, and the class.
#    Exported by Rscript when R and mlbench are installed (Debian
#    r-cran-mlbench), else the same bytes as shipped in bench/data (see its
#    README).
# 2. vae-fit learns a 2-D latent space of the 18 features; -k Class keeps
#    the class out of the model, so the picture shows what the features
#    alone tell apart.
# 3. vae-enc -k Class writes each row's code with its class in front
#    (embed.csv), and gnuplot plots the codes coloured by class
#    (embed.png).  The bus and the van stand apart; the two cars overlap.
#
# Environment: EPOCHS [chosen by vae-fit from the rows: 75]; WORK a
# directory to keep the files and picture in (default: a temporary one,
# removed).  Without gnuplot, embed.png is skipped.
set -eu
. "$(dirname "$0")/work.sh"

echo "== the table: mlbench's Vehicle"
if command -v Rscript > /dev/null &&
   Rscript -e 'suppressPackageStartupMessages(library(mlbench)); data(Vehicle); write.csv(Vehicle, row.names = FALSE)' > "$w/vehicle.csv" 2> /dev/null
then
	echo "exported by Rscript"
else
	cp ../bench/data/vehicle.csv "$w/vehicle.csv"
	echo "the copy in bench/data (no R with mlbench here)"
fi
echo "$(($(wc -l < "$w/vehicle.csv") - 1)) rows, $(awk -F, '{ print NF; exit }' "$w/vehicle.csv") columns"
head -2 "$w/vehicle.csv" | cut -c 1-72

echo "== fit: 18 features to 2 latent dimensions, the class kept out"
set --
[ -z "${EPOCHS:-}" ] || set -- -e "$EPOCHS"
vae-fit -q -z 2 -k Class "$@" -o "$w/vehicle.vae" "$w/vehicle.csv"
vae-info "$w/vehicle.vae" | grep -E '^(architecture|training rows|epochs):'

echo "== embed.csv: each row's code, its class in front"
vae-enc -m "$w/vehicle.vae" -k Class "$w/vehicle.csv" > "$w/embed.csv"
head -3 "$w/embed.csv"
tail -n +2 "$w/embed.csv" | cut -d, -f1 | sort | uniq -c | awk '{ print $2, $1 }' > "$w/classes.txt"
echo "classes, rows:" $(cat "$w/classes.txt")
classes=$(awk '{ printf "%s%s", (NR > 1 ? " " : ""), $1 }' "$w/classes.txt")

plots "embed.png" || exit 0
echo "== embed.png: the codes coloured by class"
cat > "$w/embed.gp" <<EOF
W = 480; H = 360
load "$PWD/png.gp"
set output "$w/embed.png"
set datafile separator ","
set key outside right top Left reverse samplen 1
set xlabel "z1"; set ylabel "z2"
plot for [c in "$classes"] "$w/embed.csv" using 2:(strcol(1) eq c ? \$3 : NaN) skip 1 with points pt 7 ps 0.6 title c
EOF
gnuplot "$w/embed.gp"
echo "picture in $w: embed.png"
