# A gzip stream cut anywhere in its 8-byte trailer (the data all there, the
# CRC and length not) is bad data, exit 65 naming the file, as zcat's
# "unexpected end of file": for CSV, read to its end, as for NPY, whose
# header says how many rows there are; from a file and from a pipe.
. "$TOP/tests/setup"
. "$TOP/tests/bytes.sh"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
printf 'a,b,c\n1,2,3\n4,5,6\n' | gzip -nc > csv.gz
{ npy_header "$(npy_dict '<f4' '(2, 3)')"; bytes $F1 $F2 $F3 $F1 $F2 $F3; } | gzip -nc > npy.gz
for f in csv npy; do
	vae-score -m m.vae $f.gz > /dev/null     # whole: read
	for cut in 1 4 8; do
		head -c $(($(wc -c < $f.gz) - cut)) $f.gz > cut$cut.$f.gz
		vae-score -m m.vae cut$cut.$f.gz > /dev/null || echo "exit $?"
		vae-enc -m m.vae < cut$cut.$f.gz > /dev/null || echo "exit $?"
	done
done
