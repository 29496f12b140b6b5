#!/bin/sh
# perf.sh: the performance table: the speed of training, of the filters
# and of start-up, memory and scaling.  Every line is a time measured
# in this run beside a ceiling or a peer measured in the same run, and
# their ratio (time / ceiling time, so 1 is "as fast as the ceiling").
#
#   1. training: an epoch of bench/epoch (vae_fit) against the same sgemm
#      calls alone (the faster of OpenBLAS's threads on each batch and the
#      team's threads on a share each), at -j 2 and -j 1; the products' time
#      at the CPU's FMA peak (bench/epoch -P); with the other OpenBLAS kernels
#      (AVX2 or AVX-512); with bf16 products (-c bf16, --compute bf16)
#      against the f32 epoch, where they run; the share of each part of an
#      epoch (products, their conversions to bf16, Adam, the batches' rows,
#      the rest of the element-wise work); against the PyTorch example
#      (bench/torch_vae.py, the best of torch's and OpenBLAS's thread
#      counts 1 and 2) when /usr/bin/python3 can import torch
#   2. filters: vae-score and vae-enc on 784- and 10-column CSV against the
#      libcsv tokenizer alone (bench/csvtok), and vae-score --compute bf16
#      on the 784-column CSV; on gzipped IDX and NPY against
#      zcat > /dev/null; vae-score and vae-fit -e 1 with --portable against
#      the default mode
#   3. start-up: median of 20 runs on a one-row input against /bin/true
#   4. memory: peak RSS of vae-fit against its float32 data plus the model
#   5. scaling: s/epoch for 10k, 60k, 600k rows and hidden 100, 400, 1600,
#      time per flop relative to the 60k / 400 case
#
# Needs the programs (BIN, default the top directory), bench/epoch and
# bench/csvtok (`make bench` builds them) and /usr/bin/python3 with numpy.
# Environment: QUICK=1 shrinks every size tenfold (a smoke test; its
# numbers say nothing about the targets); FM the Fashion-MNIST directory;
# BIN the directory of vae-fit etc.; EPOCH and CSVTOK the helpers.
set -eu
cd "$(dirname "$0")/.."
top=$PWD
BIN=${BIN:-$top}
EPOCH=${EPOCH:-$top/bench/epoch}
CSVTOK=${CSVTOK:-$top/bench/csvtok}
FM=${FM:-/usr/share/datasets/fashion-mnist}
QUICK=${QUICK:-0}
PY=/usr/bin/python3
PATH=$BIN:$PATH
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

for f in "$BIN/vae-fit" "$BIN/vae-score" "$BIN/vae-enc" "$EPOCH" "$CSVTOK"; do
	[ -x "$f" ] || { echo "perf.sh: $f is missing (make bench builds it)" >&2; exit 66; }
done

if [ "$QUICK" = 1 ]; then
	N=6000 TEN=100000 RUNS=5 BEST=1 SMALL=1000 BIG=60000 E=1
else
	N=60000 TEN=1000000 RUNS=20 BEST=2 SMALL=10000 BIG=600000 E=2
fi
# bench/epoch -e: epochs of which the fastest counts, fewer for long ones
e_for() { [ "$1" -le 10000 ] && echo 3 || { [ "$1" -le "$N" ] && echo $E || echo 1; }; }
# epoch ARGS...: bench/epoch -r ARGS in BEST processes: the fastest of each
# time, "gflop sgemm_s epoch_s adam_s conv_s data_s".  On these shared hosts
# a process is now and then slow throughout (up to 2x, more CPU time for
# the same work, with nothing else running in the VM), so one run is not
# enough.
epoch() {
	for i in $(seq $BEST); do "$EPOCH" -r "$@"; done |
		awk '{ g = $4; for (i = 5; i <= 9; i++) if (NR == 1 || $i < t[i]) t[i] = $i }
		     END { if (NR) print g, t[5], t[6], t[7], t[8], t[9]; else exit 1 }'
}
start=$(date +%s)
# busy CPU seconds of the whole machine, from /proc/stat
busy() { awk -v hz="$(getconf CLK_TCK)" '$1 == "cpu" { printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat; }
busy0=$(busy)
load0=$(cut -d" " -f1-3 /proc/loadavg)

# ---- helpers ----
# calc EXPR [VAR=VALUE...]: awk arithmetic, printed with the format in EXPR
calc() { e=$1; shift; awk "$@" "BEGIN { $e }" /dev/null; }
# timed [-n RUNS] [-s min|median] [-i IN] -- CMD...: "seconds maxrss_kib"
timed() { "$PY" "$top/bench/timeit.py" "$@"; }
# verdict VALUE OP LIMIT: "ok" or "MISS"
verdict() { calc 'print (op == "<=" ? v <= l : op == "<" ? v < l : v >= l) ? "ok" : "MISS"' \
	-v v="$1" -v op="$2" -v l="$3"; }

W='%-40s %9s %-22s | %-26s %9s %-16s | %6s  %s\n'
line() { printf "$W" "$@"; }
rule() { printf '%s\n' "-----------------------------------------------------------------------------------------------------------------------------------------------------"; }

# ---- data ----
echo "perf.sh: preparing data in $tmp ..." >&2
zcat "$FM/train-images-idx3-ubyte.gz" > "$tmp/train.idx"
"$PY" "$top/bench/mkdata.py" "$tmp/train.idx" "$N" "$tmp"        # fm.csv, fm.npy.gz
if [ "$N" = 60000 ]; then
	cp "$FM/train-images-idx3-ubyte.gz" "$tmp/fm.idx.gz"
else
	"$PY" - "$tmp/train.idx" "$N" "$tmp/fm.idx.gz" <<'PY'
import gzip, struct, sys
src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
b = open(src, "rb").read()
with gzip.open(out, "wb", compresslevel=9) as f:
    f.write(b[:4] + struct.pack(">I", n) + b[8:16] + b[16:16 + n * 784])
PY
fi
awk -v n="$TEN" -v seed=7 -f tests/gen-manifold.awk > "$tmp/ten.csv"
head -n 1 "$tmp/ten.csv" > "$tmp/ten1.csv"
head -n 1 "$tmp/fm.csv" > "$tmp/fm1.csv"
head -n 100000 "$tmp/ten.csv" > "$tmp/tentrain.csv"
fmcsv_mb=$(calc 'printf "%.0f", b / 1e6' -v b="$(wc -c < "$tmp/fm.csv")")
tencsv_mb=$(calc 'printf "%.0f", b / 1e6' -v b="$(wc -c < "$tmp/ten.csv")")

echo "perf.sh: measuring ..." >&2
# ---- 4. memory (its model serves items 2 and 3) ----
set -- $(timed -- vae-fit -q -l bernoulli -H 400 -z 20 -b 128 -e 1 -s 1 \
	-o "$tmp/fm.vae" "$tmp/fm.idx.gz")
fit_s=$1 fit_rss=$2
vae-fit -q -e 2 -s 1 -o "$tmp/ten.vae" "$tmp/tentrain.csv"
model_b=$(wc -c < "$tmp/fm.vae")
data_b=$((N * 784 * 4))

# ---- 1. training ----
set -- $(epoch -j 2 -e $E "$tmp/train.idx" -n "$N")
j2_gf=$1 j2_gemm=$2 j2_ep=$3 j2_adam=$4 j2_data=$6
set -- $(epoch -j 1 -e $E "$tmp/train.idx" -n "$N")
j1_gf=$1 j1_gemm=$2 j1_ep=$3
peak2=$("$EPOCH" -j 2 -P)
peak1=$("$EPOCH" -j 1 -P)
# bf16 products, where they run (bench/epoch exits 69 where not)
bf16=0
if bpeak2=$("$EPOCH" -j 2 -c bf16 -P 2> /dev/null); then
	bf16=1
	set -- $(epoch -j 2 -e $E -c bf16 "$tmp/train.idx" -n "$N")
	b2_gf=$1 b2_gemm=$2 b2_ep=$3 b2_adam=$4 b2_conv=$5 b2_data=$6
	set -- $(epoch -j 1 -e $E -c bf16 "$tmp/train.idx" -n "$N")
	b1_gemm=$2 b1_ep=$3
fi
# the other kernels: AVX2 (Haswell) when OpenBLAS picked AVX-512 ones, and
# AVX-512 (SkylakeX) when the CPU has them but OpenBLAS did not pick them
core=$("$EPOCH" -C)
case $core in
SkylakeX | Cooperlake | SapphireRapids) alt=Haswell ;;
*) alt=; grep -q avx512f /proc/cpuinfo && alt=SkylakeX ;;
esac
if [ -n "$alt" ]; then
	export OPENBLAS_CORETYPE=$alt
	set -- $(epoch -j 2 -e $E "$tmp/train.idx" -n "$N")
	unset OPENBLAS_CORETYPE
	alt_gf=$1 alt_gemm=$2 alt_ep=$3
fi
torch=0
if "$PY" -c 'import torch' 2> /dev/null; then
	torch=1
	# torch's own threads (1, 2) times OpenBLAS's (1, 2: Debian's torch
	# multiplies through OpenBLAS, whose threads it does not set)
	t_best=
	for ob in 1 2; do
		set -- $(OPENBLAS_NUM_THREADS=$ob "$PY" "$top/bench/torch_vae.py" -r -n "$N" -t 1,2 "$tmp/train.idx")
		eval "t_${ob}_1=$4 t_${ob}_2=$5"
		if [ -z "$t_best" ] || [ "$(calc 'print a < b' -v a="$2" -v b="$t_best")" = 1 ]; then
			t_import=$1 t_best=$2 t_threads=$3 t_ob=$ob
		fi
	done
	set -- $(timed -n 3 -- "$PY" -c pass)
	py_s=$1
	set -- $(timed -n 3 -- "$PY" -c 'import torch')
	imp_s=$1
fi

# ---- 2. filters ----
set -- $("$CSVTOK" -r "$tmp/fm.csv")
tok_fm_s=$4 tok_fm_mbs=$5
set -- $("$CSVTOK" -r "$tmp/ten.csv")
tok_ten_s=$4 tok_ten_mbs=$5
if [ $bf16 = 1 ]; then
	set -- $(timed -n $BEST -- vae-score --compute bf16 -m "$tmp/fm.vae" "$tmp/fm.csv")
	score_bf16_fm=$1
fi
for p in score enc; do
	set -- $(timed -n $BEST -- vae-$p -m "$tmp/fm.vae" "$tmp/fm.csv")
	eval "${p}_fm=$1"
	set -- $(timed -n $BEST -- vae-$p -m "$tmp/ten.vae" "$tmp/ten.csv")
	eval "${p}_ten=$1"
	for g in idx npy; do
		set -- $(timed -n $BEST -- vae-$p -m "$tmp/fm.vae" "$tmp/fm.$g.gz")
		eval "${p}_$g=$1"
	done
done
for g in idx npy; do
	set -- $(timed -n $BEST -- zcat "$tmp/fm.$g.gz")
	eval "zcat_$g=$1"
done
# portable mode against the default, on the same input and model
set -- $(timed -n $BEST -- vae-score --portable -m "$tmp/fm.vae" "$tmp/fm.idx.gz")
score_portable=$1
set -- $(timed -- vae-fit -q -l bernoulli -H 400 -z 20 -b 128 -e 1 -s 1 --portable \
	-o "$tmp/p.vae" "$tmp/fm.idx.gz")             # item 4's fit, fit_s, in portable mode
fit_portable=$1

# ---- 3. start-up ----
set -- $(timed -n $RUNS -s median -- /bin/true)
true_s=$1
set -- $(timed -n $RUNS -s median -- vae-score -m "$tmp/ten.vae" "$tmp/ten1.csv")
one_ten=$1
set -- $(timed -n $RUNS -s median -- vae-score -m "$tmp/fm.vae" "$tmp/fm1.csv")
one_fm=$1

# ---- 5. scaling (60k / 400 is item 1's -j 2 epoch) ----
for rows in $SMALL $BIG; do
	set -- $(epoch -j 2 -e "$(e_for "$rows")" "$tmp/train.idx" -n "$rows")
	eval "sc_${rows}_gf=$1 sc_${rows}_gemm=$2 sc_${rows}_ep=$3"
done
for h in 100 1600; do
	[ $h = 100 ] && e=$E || e=1
	set -- $(epoch -j 2 -e $e -H "$h" "$tmp/train.idx" -n "$N")
	eval "sh_${h}_gf=$1 sh_${h}_gemm=$2 sh_${h}_ep=$3"
done

# ---- the table ----
# CPU time of everything else on the machine during the run: all busy time
# less this script's children's (the second line of `times`)
busy1=$(busy)
times > "$tmp/times"
own=$(awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); s += t[1] * 60 + t[2] } print s }' "$tmp/times")
wall=$(($(date +%s) - start))
cores=$(getconf _NPROCESSORS_ONLN)
echo
echo "vae performance table: $(uname -m), $cores cores, OpenBLAS $(pkg-config --modversion openblas 2>/dev/null || echo '?') ($core kernels), $(date '+%Y-%m-%d %H:%M')"
printf 'load before the run %s; other processes used %s CPU-s of %s during the %d s run%s\n' \
	"$load0" "$(calc 'printf "%.0f", o < 0 ? 0 : o' -v o="$(calc 'print b - a - c' -v b="$busy1" -v a="$busy0" -v c="$own")")" \
	"$((cores * wall))" "$wall" \
	"$([ "$QUICK" = 1 ] && echo '; QUICK=1: reduced sizes, say nothing of the targets')"
echo "ratio = time / ceiling time (1.00: as fast as the ceiling or peer)"
rule
line "measurement" "time" "rate" "ceiling or peer" "time" "rate" "ratio" "target"
rule

# 1. training
ep_line() {  # label gflop gemm_s epoch_s target
	line "$1" "$(calc 'printf "%.3f s", e' -v e="$4")" \
		"$(calc 'printf "%.1f GFLOP/s", g / e' -v g="$2" -v e="$4")" \
		"sgemm alone, same products" "$(calc 'printf "%.3f s", s' -v s="$3")" \
		"$(calc 'printf "%.1f GFLOP/s", g / s' -v g="$2" -v s="$3")" \
		"$(calc 'printf "%.2f", e / s' -v e="$4" -v s="$3")" "$5"
}
r=$(calc 'printf "%.4f", e / s' -v e="$j2_ep" -v s="$j2_gemm")
ep_line "1 epoch 784-400-20 b128 ${N}r -j 2" "$j2_gf" "$j2_gemm" "$j2_ep" "<= 1.30 $(verdict "$r" '<=' 1.3)"
r=$(calc 'printf "%.4f", e / s' -v e="$j1_ep" -v s="$j1_gemm")
ep_line "1 epoch 784-400-20 b128 ${N}r -j 1" "$j1_gf" "$j1_gemm" "$j1_ep" "<= 1.30 $(verdict "$r" '<=' 1.3)"
peak_line() {  # threads peak gflop gemm_s
	line "1 sgemm alone, -j $1" "$(calc 'printf "%.3f s", s' -v s="$4")" \
		"$(calc 'printf "%.1f GFLOP/s", g / s' -v g="$3" -v s="$4")" \
		"the products at FMA peak" "$(calc 'printf "%.3f s", g / p' -v g="$3" -v p="$2")" \
		"$(calc 'printf "%.1f GFLOP/s", p' -v p="$2")" \
		"$(calc 'printf "%.2f", s * p / g' -v s="$4" -v p="$2" -v g="$3")" "(info: the floor)"
}
peak_line 2 "$peak2" "$j2_gf" "$j2_gemm"
peak_line 1 "$peak1" "$j1_gf" "$j1_gemm"
if [ -n "$alt" ]; then
	ep_line "1 same, -j 2, OPENBLAS_CORETYPE=$alt" "$alt_gf" "$alt_gemm" "$alt_ep" \
		"(info: $([ $alt = Haswell ] && echo AVX2 || echo AVX-512) kernels)"
fi
# the f32 epoch against its products at the f32 FMA peak
r=$(calc 'printf "%.4f", e * p / g' -v e="$j2_ep" -v p="$peak2" -v g="$j2_gf")
line "1 epoch f32 -j 2" "$(calc 'printf "%.3f s", e' -v e="$j2_ep")" \
	"$(calc 'printf "%.1f GFLOP/s", g / e' -v g="$j2_gf" -v e="$j2_ep")" \
	"its products at FMA peak" "$(calc 'printf "%.3f s", g / p' -v g="$j2_gf" -v p="$peak2")" \
	"$(calc 'printf "%.1f GFLOP/s", p' -v p="$peak2")" \
	"$(calc 'printf "%.2f", r' -v r="$r")" "<= 1.35 $(verdict "$r" '<=' 1.35)"
if [ $bf16 = 1 ]; then
	r=$(calc 'printf "%.4f", b / f' -v b="$b2_ep" -v f="$j2_ep")
	line "1 epoch --compute bf16 -j 2" "$(calc 'printf "%.3f s", e' -v e="$b2_ep")" \
		"$(calc 'printf "%.1f GFLOP/s", g / e' -v g="$b2_gf" -v e="$b2_ep")" \
		"the f32 epoch, -j 2" "$(calc 'printf "%.3f s", e' -v e="$j2_ep")" \
		"$(calc 'printf "%.1f GFLOP/s", g / e' -v g="$j2_gf" -v e="$j2_ep")" \
		"$(calc 'printf "%.2f", r' -v r="$r")" "<= 0.60 $(verdict "$r" '<=' 0.6)"
	line "1 epoch --compute bf16 -j 1" "$(calc 'printf "%.3f s", e' -v e="$b1_ep")" "" \
		"the f32 epoch, -j 1" "$(calc 'printf "%.3f s", e' -v e="$j1_ep")" "" \
		"$(calc 'printf "%.2f", b / f' -v b="$b1_ep" -v f="$j1_ep")" "(info)"
	line "1 bf16 products alone, -j 2" "$(calc 'printf "%.3f s", s' -v s="$b2_gemm")" \
		"$(calc 'printf "%.1f GFLOP/s", g / s' -v g="$b2_gf" -v s="$b2_gemm")" \
		"the products at bf16 peak" "$(calc 'printf "%.3f s", g / p' -v g="$b2_gf" -v p="$bpeak2")" \
		"$(calc 'printf "%.1f GFLOP/s", p' -v p="$bpeak2")" \
		"$(calc 'printf "%.2f", s * p / g' -v s="$b2_gemm" -v p="$bpeak2" -v g="$b2_gf")" \
		"(info: vdpbf16ps's floor)"
	line "1 bf16 products alone, -j 2" "$(calc 'printf "%.3f s", s' -v s="$b2_gemm")" "" \
		"f32 sgemm alone, -j 2" "$(calc 'printf "%.3f s", s' -v s="$j2_gemm")" "" \
		"$(calc 'printf "%.2f", b / f' -v b="$b2_gemm" -v f="$j2_gemm")" "(info)"
else
	line "1 epoch --compute bf16" "-" "" "no bf16 products here" "-" "" "-" "(skipped)"
fi
vbest=$(calc 'printf "%.4f", a < b ? a : b' -v a="$j1_ep" -v b="$j2_ep")
vthr=$(calc 'print a < b ? 1 : 2' -v a="$j1_ep" -v b="$j2_ep")
if [ $torch = 1 ]; then
	r=$(calc 'printf "%.4f", v / t' -v v="$vbest" -v t="$t_best")
	line "1 epoch, best of -j 1/2 (-j $vthr)" "$(calc 'printf "%.3f s", v' -v v="$vbest")" \
		"$(calc 'printf "%.0f rows/s", n / v' -v n="$N" -v v="$vbest")" \
		"PyTorch example, best" "$(calc 'printf "%.3f s", t' -v t="$t_best")" \
		"at ${t_threads}x$t_ob threads" \
		"$(calc 'printf "%.2f", r' -v r="$r")" "(info)"
	if [ $bf16 = 1 ]; then
		bbest=$(calc 'printf "%.4f", a < b ? a : b' -v a="$b1_ep" -v b="$b2_ep")
		bthr=$(calc 'print a < b ? 1 : 2' -v a="$b1_ep" -v b="$b2_ep")
		r=$(calc 'printf "%.4f", v / t' -v v="$bbest" -v t="$t_best")
		line "1 epoch bf16, best of -j 1/2 (-j $bthr)" "$(calc 'printf "%.3f s", v' -v v="$bbest")" \
			"$(calc 'printf "%.0f rows/s", n / v' -v n="$N" -v v="$bbest")" \
			"PyTorch example, best" "$(calc 'printf "%.3f s", t' -v t="$t_best")" \
			"at ${t_threads}x$t_ob threads" \
			"$(calc 'printf "%.2f", r' -v r="$r")" "<= 0.25 $(verdict "$r" '<=' 0.25)"
	fi
	line "1 PyTorch example, torch x OpenBLAS thr" "" "" "" "" "" "" \
		"$(for t in 1 2; do for ob in 1 2; do
			printf '%dx%d %.2f s  ' $t $ob "$(eval echo \$t_${ob}_$t)"; done; done)"
	line "1 start-up: python3 -c 'import torch'" "$(calc 'printf "%.3f s", s' -v s="$imp_s")" \
		"import alone $(calc 'printf "%.2fs", s' -v s="$t_import")" \
		"python3 -c pass" "$(calc 'printf "%.3f s", s' -v s="$py_s")" "" \
		"$(calc 'printf "%.0f", a / b' -v a="$imp_s" -v b="$py_s")" "(info)"
else
	line "1 PyTorch example" "-" "" "python3 cannot import torch" "-" "" "-" "(skipped)"
fi
rule
# the parts of an epoch: products (bf16's with their conversions), Adam and
# the batches' rows, each timed alone on the team; the rest (activations,
# likelihood, KL, sampling, gradient sums, the waits between) by difference
parts() {  # label epoch_s gemm_s conv_s adam_s data_s
	calc 'o = e - s - a - d; if (o < 0) o = 0
	      printf "1 parts of %s: %.3f s = products %.3f s (%.0f%%%s) + Adam and the average %.3f s (%.0f%%) + rows %.3f s (%.0f%%) + the rest %.3f s (%.0f%%)\n",
	             l, e, s, 100 * s / e, (c > 0 ? sprintf(", of which to bf16 %.3f s, %.0f%%", c, 100 * c / e) : ""),
	             a, 100 * a / e, d, 100 * d / e, o, 100 * o / e' \
		-v l="$1" -v e="$2" -v s="$3" -v c="$4" -v a="$5" -v d="$6"
}
parts "the f32 epoch, -j 2" "$j2_ep" "$j2_gemm" 0 "$j2_adam" "$j2_data"
[ $bf16 = 1 ] && parts "the bf16 epoch, -j 2" "$b2_ep" "$b2_gemm" "$b2_conv" "$b2_adam" "$b2_data"
rule

# 2. filters
csv_line() {  # prog file rows mb tok_s tok_mbs secs target_rows (0: none)
	rate=$(calc 'printf "%.0f", n / s' -v n="$3" -v s="$7")
	target="(info: in f32 under the floor; the target is bf16's)"
	[ "$8" = 0 ] || target=">= $(($8 / 1000))k r/s $(verdict "$rate" '>=' "$8")"
	line "2 vae-$1 $2" "$(calc 'printf "%.3f s", s' -v s="$7")" \
		"$(calc 'printf "%.0fk r/s %.0f MB/s", r / 1000, m / s' -v r="$rate" -v m="$4" -v s="$7")" \
		"libcsv tokenizer alone" "$(calc 'printf "%.3f s", s' -v s="$5")" \
		"$(calc 'printf "%.0f MB/s", m' -v m="$6")" \
		"$(calc 'printf "%.2f", a / b' -v a="$7" -v b="$5")" "$target"
}
# vae-score's 100k rows/s on 784 columns is under the f32 floor here and
# stands for --compute bf16 only
for p in score enc; do
	[ $p = score ] && fm_target=0 || fm_target=100000
	csv_line $p "${N}x784 csv ${fmcsv_mb}MB" "$N" "$fmcsv_mb" "$tok_fm_s" "$tok_fm_mbs" \
		"$(eval echo \$${p}_fm)" $fm_target
	csv_line $p "${TEN}x10 csv ${tencsv_mb}MB" "$TEN" "$tencsv_mb" "$tok_ten_s" "$tok_ten_mbs" \
		"$(eval echo \$${p}_ten)" 1000000
done
if [ $bf16 = 1 ]; then
	csv_line "score --compute bf16" "${N}x784 csv" "$N" "$fmcsv_mb" "$tok_fm_s" "$tok_fm_mbs" \
		"$score_bf16_fm" 100000
fi
for g in idx npy; do
	z=$(eval echo \$zcat_$g)
	mb=$(calc 'printf "%.0f", b / 1e6' -v b="$(wc -c < "$tmp/fm.$g.gz")")
	for p in score enc; do
		s=$(eval echo \$${p}_$g)
		line "2 vae-$p ${N}x784 $g.gz ${mb}MB" "$(calc 'printf "%.3f s", s' -v s="$s")" \
			"$(calc 'printf "%.0fk r/s", n / s / 1000' -v n="$N" -v s="$s")" \
			"zcat > /dev/null" "$(calc 'printf "%.3f s", s' -v s="$z")" \
			"$(calc 'printf "%.0fk r/s", n / s / 1000' -v n="$N" -v s="$z")" \
			"$(calc 'printf "%.2f", a / b' -v a="$s" -v b="$z")" "~1 (decompression-bound)"
	done
done
portable_line() {  # what portable_s default_s rows
	line "2 $1 --portable" "$(calc 'printf "%.3f s", s' -v s="$2")" \
		"$(calc 'printf "%.1fk r/s", n / s / 1000' -v n="$4" -v s="$2")" \
		"the same, default mode" "$(calc 'printf "%.3f s", s' -v s="$3")" \
		"$(calc 'printf "%.1fk r/s", n / s / 1000' -v n="$4" -v s="$3")" \
		"$(calc 'printf "%.2f", a / b' -v a="$2" -v b="$3")" "(the cost of host-independent bytes)"
}
portable_line "vae-score ${N}x784 idx.gz" "$score_portable" "$score_idx" "$N"
portable_line "vae-fit -e 1 ${N}x784" "$fit_portable" "$fit_s" "$N"
rule

# 3. start-up
for c in ten fm; do
	s=$(eval echo \$one_$c)
	[ $c = ten ] && what="10-col" || what="784-col"
	# 5 ms for the 7.8 MB model is under the floor of mapping and checking it
	target="(info: a 7.8 MB model to map and check)"
	[ $c = fm ] || target="< 5 ms $(verdict "$(calc 'print s * 1000' -v s="$s")" '<' 5)"
	line "3 vae-score, one row, $what model" "$(calc 'printf "%.2f ms", s * 1000' -v s="$s")" \
		"median of $RUNS" "/bin/true" "$(calc 'printf "%.2f ms", s * 1000' -v s="$true_s")" \
		"median of $RUNS" "$(calc 'printf "%.2f", a / b' -v a="$s" -v b="$true_s")" "$target"
done
rule

# 4. memory
r=$(calc 'printf "%.4f", r * 1024 / (d + m)' -v r="$fit_rss" -v d="$data_b" -v m="$model_b")
line "4 vae-fit -e 1 peak RSS, ${N}x784" "$(calc 'printf "%.0f MB", r * 1024 / 1e6' -v r="$fit_rss")" \
	"fit took $(calc 'printf "%.1f s", s' -v s="$fit_s")" \
	"data f32 + model file" "$(calc 'printf "%.0f MB", (d + m) / 1e6' -v d="$data_b" -v m="$model_b")" \
	"$(calc 'printf "%.0f+%.1f MB", d / 1e6, m / 1e6' -v d="$data_b" -v m="$model_b")" \
	"$(calc 'printf "%.2f", r' -v r="$r")" "<= 1.30 $(verdict "$r" '<=' 1.3)"
rule

# 5. scaling, -j 2: time per flop against the ${N} rows, hidden 400 case
ref=$(calc 'printf "%.6g", e / g' -v e="$j2_ep" -v g="$j2_gf")
sc_line() {  # label gflop gemm_s epoch_s
	line "5 $1" "$(calc 'printf "%.3f s", e' -v e="$4")" \
		"$(calc 'printf "%.1f GFLOP %.0f GF/s", g, g / e' -v g="$2" -v e="$4")" \
		"ms/GFLOP at ${N}r, H 400" "$(calc 'printf "%.2f ms", r * 1000' -v r="$ref")" \
		"this: $(calc 'printf "%.2f ms", e / g * 1000' -v e="$4" -v g="$2")" \
		"$(calc 'printf "%.2f", e / g / r' -v e="$4" -v g="$2" -v r="$ref")" \
		"~1 (linear); epoch/sgemm $(calc 'printf "%.2f", e / s' -v e="$4" -v s="$3")"
}
sc_line "rows $SMALL, 784-400-20" "$(eval echo \$sc_${SMALL}_gf)" "$(eval echo \$sc_${SMALL}_gemm)" "$(eval echo \$sc_${SMALL}_ep)"
sc_line "rows $N, 784-400-20" "$j2_gf" "$j2_gemm" "$j2_ep"
sc_line "rows $BIG, 784-400-20" "$(eval echo \$sc_${BIG}_gf)" "$(eval echo \$sc_${BIG}_gemm)" "$(eval echo \$sc_${BIG}_ep)"
sc_line "rows $N, 784-100-20" "$sh_100_gf" "$sh_100_gemm" "$sh_100_ep"
sc_line "rows $N, 784-1600-20" "$sh_1600_gf" "$sh_1600_gemm" "$sh_1600_ep"
rule
echo "(s/epoch and sgemm: the fastest epoch of $BEST runs of bench/epoch -e E (E 3 at 10000 rows or"
echo " fewer, $E at $N, 1 above or at H 1600), without the score calibration after training;"
echo " filters: best of $BEST runs;"
echo " torch batches by indexing one tensor with a random permutation; RSS by getrusage)"
