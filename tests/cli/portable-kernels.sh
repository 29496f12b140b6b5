# Portable mode gives the same bytes whatever kernels OpenBLAS picks for
# the CPU, as another host would pick others (OPENBLAS_CORETYPE stands for
# it here): a model trained with --portable, its scores (sampled, with
# -K, and explained), codes and draws; a table of text, counts and gaps
# scored and imputed; and VAE_PORTABLE=1 is --portable.
. "$TOP/tests/setup"
ex=$TOP/examples/metrics-week.csv
cu=$TOP/examples/customers.csv
kinds="Prescott Nehalem"
for k in avx:Sandybridge avx2:Haswell avx512f:SkylakeX; do
	grep -q "^flags.* ${k%%:*}\( \|$\)" /proc/cpuinfo && kinds="$kinds ${k#*:}"
done
run() {  # run DIR: everything into DIR
	mkdir "$1"
	vae-fit -q -j 1 -e 3 --portable -k time,host -o "$1/m.vae" "$ex"
	vae-score --portable -m "$1/m.vae" -k time "$ex" > "$1/score"
	vae-score --portable -m "$1/m.vae" -K 8 --metric nll --explain 2 "$ex" > "$1/nll"
	vae-enc --portable -m "$1/m.vae" --sample -s 3 "$ex" > "$1/enc"
	vae-sample --portable -m "$1/m.vae" -n 200 -s 5 > "$1/sample"
	vae-fit -q -j 1 -e 3 --portable -k id --missing mask -o "$1/t.vae" "$cu"
	vae-score --portable -m "$1/t.vae" -k id "$cu" > "$1/t-score"
	vae-impute --portable -m "$1/t.vae" --draws 4 "$cu" > "$1/t-impute"
}
for k in $kinds; do
	OPENBLAS_CORETYPE=$k run "$k"
done
for k in $kinds; do
	for f in m.vae score nll enc sample t.vae t-score t-impute; do
		cmp Prescott/$f "$k/$f"
	done
done
VAE_PORTABLE=1 vae-score -m Prescott/m.vae -k time "$ex" | cmp - Prescott/score
VAE_PORTABLE=1 vae-impute -m Prescott/t.vae --draws 4 "$cu" | cmp - Prescott/t-impute
VAE_PORTABLE=0 vae-score -m Prescott/m.vae -k time "$ex" > default
vae-score -m Prescott/m.vae -k time "$ex" | cmp - default
echo "kernel sets compared: $(echo $kinds | wc -w)" >&2
