# --compute takes f32 or bf16 in vae-fit, the filters and vae-sample, and
# nowhere else; bf16 with portable mode (--portable or VAE_PORTABLE=1) is a
# usage error, since oneDNN's kernels differ by CPU.  Where bf16 cannot
# run (a build without oneDNN, a CPU without bf16 products, which
# ONEDNN_MAX_CPU_ISA stands for here), the program says so on stderr and
# computes in f32: the same bytes as without the option.
. "$TOP/tests/setup"
awk -v n=300 -v seed=3 -f "$TOP/tests/gen-manifold.awk" > m.csv
vae-fit -q -e 2 -s 1 -o m.vae m.csv
vae-score -m m.vae m.csv > f32.score
st() { "$@" > /dev/null && echo "$1: 0" || echo "$1: $?"; }
st vae-fit -q -e 2 --compute bf16 --portable -o x.vae m.csv
(export VAE_PORTABLE=1; st vae-score --compute bf16 -m m.vae m.csv)
st vae-enc --compute f64 -m m.vae m.csv
st vae-info --compute bf16 m.vae
st vae-sample --compute f32 -m m.vae -n 3
for p in fit score; do
	ONEDNN_MAX_CPU_ISA=AVX512_CORE DNNL_MAX_CPU_ISA=AVX512_CORE \
	vae-$p --compute bf16 $([ $p = fit ] && echo "-q -e 2 -s 1 -o fb.vae" || echo "-m m.vae") m.csv \
		> out 2> warn
	grep -q "^vae-$p: --compute bf16: .*; computing in f32$" warn
done
cmp m.vae fb.vae
cmp f32.score out
