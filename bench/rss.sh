#!/bin/sh
# rss.sh: peak RSS of the streaming programs on 10 MB and on 1 GB of input.
# The input is a 10 MB numeric CSV (10 columns), fed once and 100 times;
# their memory must not grow with the input (see vae(7), STREAMING).
set -eu
cd "$(dirname "$0")/.."
PATH=$PWD:$PATH
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

awk -v n=130000 -v seed=5 -f tests/gen-manifold.awk > "$tmp/10mb.csv"
vae-fit -q -e 2 -o "$tmp/m.vae" "$tmp/10mb.csv"
vae-enc -m "$tmp/m.vae" "$tmp/10mb.csv" > "$tmp/codes.csv"

# peak RSS in KiB of "sh -c CMD" (the largest process it ran), and seconds
peak() {
	/usr/bin/python3 - "$1" <<'PY'
import resource, subprocess, sys, time
t = time.time()
subprocess.run(["sh", "-c", sys.argv[1]], check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "%.1f" % (time.time() - t))
PY
}

printf '%-12s %10s %10s %12s %12s %8s\n' program "in(small)" "in(big)" "RSS small" "RSS big" ratio
for prog in vae-score vae-enc vae-dec vae-sample; do
	case $prog in
	vae-dec) in=$tmp/codes.csv ;;
	*) in=$tmp/10mb.csv ;;
	esac
	if [ $prog = vae-sample ]; then
		rows=$(($(wc -l < "$in")))
		small=$(peak "vae-sample -m $tmp/m.vae -n $rows > /dev/null")
		big=$(peak "vae-sample -m $tmp/m.vae -n $((rows * 100)) > /dev/null")
		what="$rows rows"
	else
		small=$(peak "cat $in | $prog -m $tmp/m.vae > /dev/null")
		big=$(peak "for i in \$(seq 100); do cat $in; done | $prog -m $tmp/m.vae > /dev/null")
		what="$(($(wc -c < "$in") / 1000000)) MB"
	fi
	s=${small% *} b=${big% *}
	printf '%-12s %10s %10s %9s KiB %9s KiB %8s\n' $prog "$what" "x100" "$s" "$b" \
		"$(awk -v s="$s" -v b="$b" 'BEGIN { printf "%.3f", b / s }')"
done
