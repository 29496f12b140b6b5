# vae-fit -j N splits every batch between N threads and adds up their
# gradients: the same seed and -j give the same model bit for bit, and
# another -j the same model but for rounding (each row draws its eps alike
# whatever thread takes it), so the models' scores agree to 1e-5, where
# another seed moves them by far more.
. "$TOP/tests/setup"
awk -v n=600 -v seed=3 -f "$TOP/tests/gen-manifold.awk" > m.csv
for j in 1 2 3; do
	vae-fit -q -e 5 -b 32 -j $j -s 9 -o j$j.vae m.csv
	vae-score -m j$j.vae -p 9 m.csv > s$j
done
vae-fit -q -e 5 -b 32 -j 2 -s 9 -o again.vae m.csv
cmp j2.vae again.vae && echo "-j 2 twice: identical"
vae-fit -q -e 5 -b 32 -j 1 -s 10 -o seed10.vae m.csv
vae-score -m seed10.vae -p 9 m.csv > s10
# largest relative difference between two score columns
differ() { paste "$1" "$2" | awk 'NR > 1 { d = ($1 - $2) / ($1 + $2); d = d < 0 ? -d : d; if (d > m) m = d }
	END { print (m < 1e-5 ? "agree" : "differ") }'; }
echo "-j 2 against -j 1: $(differ s1 s2)"
echo "-j 3 against -j 1: $(differ s1 s3)"
echo "seed 10 against seed 9: $(differ s1 s10)"
