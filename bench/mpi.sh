#!/bin/sh
# mpi.sh: data-parallel training under mpirun: steps per second of vae-fit
# on Fashion-MNIST (-l bernoulli -H 256 -z 16 -b 128) at 1, 2 and 4
# processes of one thread each, beside one process of one thread (the
# ratio's base) and one process of -j 2.  Steps per second come from the
# epochs' seconds in --log (training alone: every process also reads the
# whole input first, which the wall time beside them includes).  On a
# machine of C cores, more than C threads in all share the cores.
#
# Needs vae-fit built with make MPI=1 and mpirun.  Environment: BIN the
# directory of vae-fit; FM the Fashion-MNIST directory; EPOCHS (2).
set -eu
cd "$(dirname "$0")/.."
BIN=${BIN:-$PWD}
FM=${FM:-/usr/share/datasets/fashion-mnist}
EPOCHS=${EPOCHS:-2}
data=$FM/train-images-idx3-ubyte.gz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

if ! "$BIN/vae-fit" --version | grep -q MPI || ! command -v mpirun > /dev/null; then
	echo "bench/mpi.sh: needs vae-fit built with make MPI=1, and mpirun (make deps)" >&2
	exit 0
fi
[ -r "$data" ] || { echo "bench/mpi.sh: no $data (make deps)" >&2; exit 0; }
[ "$(id -u)" != 0 ] || export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fit="$BIN/vae-fit -q -l bernoulli -H 256 -z 16 -b 128 -e $EPOCHS -s 1"
steps=$(( (60000 + 127) / 128 ))       # a step a batch; no rows held out with -e

# run NAME COMMAND...: one line of figures; the first run is the ratios' base
run() {
	name=$1
	shift
	t0=$(date +%s.%N)
	"$@" --log "$tmp/log" -o "$tmp/m.vae" "$data"
	t1=$(date +%s.%N)
	awk -F, -v name="$name" -v steps=$steps -v wall="$(echo "$t1 - $t0" | bc)" -v base="${base:-0}" '
		NR > 1 { s += $2; n++ }
		END { rate = steps * n / s
			printf "%-22s %8.2f %10.1f %8.2f %9.1f\n", name, s / n, rate,
			       base ? rate / base : 1, wall > "/dev/stderr"
			print rate }' "$tmp/log" 2>&1 > "$tmp/rate"
	base=${base:-$(cat "$tmp/rate")}
}

echo "vae-fit on Fashion-MNIST, $EPOCHS epochs of $steps steps, on $(nproc) cores"
printf "%-22s %8s %10s %8s %9s\n" run s/epoch steps/s ratio "wall s"
run "1 process, -j 1" $fit -j 1
run "1 process, -j 2" $fit -j 2
for np in 1 2 4; do
	run "mpirun -np $np, -j 1" mpirun -np $np --oversubscribe $fit -j 1
done
