# work.sh: sourced by the example scripts after their defaults.  It sets w,
# the directory for their files: WORK, made if need be, or a temporary one
# removed on exit; then moves to examples/, so the scripts find their data
# and helpers beside them, and puts the built programs first on PATH.
if [ -n "${WORK:-}" ]; then
	mkdir -p "$WORK"
	w=$(cd "$WORK" && pwd)
else
	w=$(mktemp -d)
	trap 'rm -rf "$w"' EXIT
fi
cd "$(dirname "$0")"
PATH=..:$PATH

# plots PICTURES: true when gnuplot is here to draw them, else says they
# are skipped
plots() {
	command -v gnuplot > /dev/null && return
	echo "gnuplot is not installed: $1 skipped"
	return 1
}
