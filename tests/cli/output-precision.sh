# -p 9 prints floats that round-trip float32: codes printed with 9 digits
# decode exactly as the same codes printed with 17 (which are exact), while
# 6 digits (the default) lose bits.  Also the digits are as asked.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
for p in 6 9 17; do
	vae-enc -m m.vae -p $p "$DATA/tiny.csv" > z$p.csv
	vae-dec -m m.vae -p 17 z$p.csv > x$p.csv
done
cmp -s x9.csv x17.csv && echo "-p 9: the same floats as -p 17"
cmp -s x6.csv x17.csv || echo "-p 6: not the same floats"
# Significant digits of the longest number printed at each precision.
for p in 6 9; do
	tail -n +2 z$p.csv | tr , '\n' | sed 's/^-//; s/e.*//; s/\.//; s/^0*//' |
		awk -v p=$p '{ if (length($0) > max) max = length($0) } END { print "-p " p ": at most " max " digits" }'
done
