# Progress on a terminal: a filter whose run takes more than two seconds
# (here, a reader that cannot keep up) says its rows, rows/s, MB/s and,
# for a file, the percent read, redrawn in place on stderr, the last
# figures on a line of their own; in a pipe, or with -q, it says nothing.
# The terminal is script(1)'s (util-linux; exit 77 without).
. "$TOP/tests/setup"
command -v script > /dev/null || { echo "skipped: needs script(1)" >&2; exit 77; }
awk -v n=150000 -v seed=5 -f "$TOP/tests/gen-manifold.awk" > big.csv
head -2000 big.csv > small.csv
vae-fit -q -j 1 -e 1 -o m.vae small.csv
slow='vae-score -m m.vae big.csv | (sleep 2.5; cat > scores)'
script -qec "$slow" /dev/null | tr '\r' '\n' | grep . > tty.txt
tail -1 tty.txt | sed 's/[0-9.]* rows\/s, [0-9.]* MB\/s/N rows\/s, N MB\/s/' | cat -v
grep -c 'vae-score: [0-9]* rows, [0-9]* rows/s, [0-9.]* MB/s, [0-9]*%' tty.txt > /dev/null &&
	echo "redrawn in place, with the percent of the file read"
wc -l < scores
sh -c "$slow" 2> pipe.txt
echo "in a pipe: $(wc -c < pipe.txt) bytes on stderr"
script -qec "vae-score -q -m m.vae big.csv | (sleep 2.5; cat > /dev/null)" /dev/null > quiet.txt
echo "with -q: $(wc -c < quiet.txt) bytes on the terminal"
