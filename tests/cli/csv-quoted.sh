# Kept text fields with commas, doubled quotes and a line break inside quotes
# are copied through -k verbatim and re-quoted (RFC 4180) in the output.
. "$TOP/tests/setup"
vae-fit -q -e 1 -j 1 -f a,b,c -o m.vae "$DATA/quoted.csv"
# The kept fields only: drop the trailing numbers (they hold no quote or comma).
vae-enc -m m.vae -k id,note "$DATA/quoted.csv" | sed 's/,[^,"]*,[^,"]*$//'
vae-score -m m.vae -k 2 "$DATA/quoted.csv" | sed 's/,[^,"]*$//'
# By number, kept columns in the order of the input.
vae-score -m m.vae -k 2,1 "$DATA/quoted.csv" > by-number.csv
vae-score -m m.vae -k id,note "$DATA/quoted.csv" | cmp - by-number.csv
# The output reads back: vae-dec keeps the same fields from vae-enc's output.
vae-enc -m m.vae -k id,note "$DATA/quoted.csv" > codes.csv
sed 's/,[^,"]*,[^,"]*$//' codes.csv > kept.csv
vae-dec -m m.vae -k id,note -f z1,z2 codes.csv | sed 's/,[^,"]*,[^,"]*,[^,"]*$//' | cmp - kept.csv &&
	echo "read back: the same kept fields"
