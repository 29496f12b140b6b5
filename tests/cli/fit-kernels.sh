# OpenBLAS picks its kernels for the CPU when a program starts; a user can
# pick others with OPENBLAS_CORETYPE.  Each set the CPU can run (AVX2's
# Haswell, AVX-512's SkylakeX) trains the model the default kernels train
# but for rounding: the models' scores agree to 1e-5, where another seed
# moves them far more.
. "$TOP/tests/setup"
awk -v n=600 -v seed=5 -f "$TOP/tests/gen-manifold.awk" > m.csv
vae-fit -q -e 5 -b 32 -j 2 -s 9 -o default.vae m.csv
vae-score -m default.vae -p 9 m.csv > default.txt
differ() { paste "$1" "$2" | awk 'NR > 1 { d = ($1 - $2) / ($1 + $2); d = d < 0 ? -d : d; if (d > m) m = d }
	END { exit !(m < 1e-5) }'; }
ok=yes
for k in Haswell:avx2 SkylakeX:avx512f; do
	grep -qw "${k#*:}" /proc/cpuinfo || continue
	OPENBLAS_CORETYPE=${k%:*} vae-fit -q -e 5 -b 32 -j 2 -s 9 -o k.vae m.csv
	OPENBLAS_CORETYPE=${k%:*} vae-score -m k.vae -p 9 m.csv > k.txt
	differ default.txt k.txt || { ok=no; echo "${k%:*} differs" >&2; }
done
echo "every kernel set this CPU runs, against the default: agree: $ok"
vae-fit -q -e 5 -b 32 -j 2 -s 10 -o seed10.vae m.csv
vae-score -m seed10.vae -p 9 m.csv > seed10.txt
differ default.txt seed10.txt && echo "seed 10: agree" || echo "seed 10: differs"
