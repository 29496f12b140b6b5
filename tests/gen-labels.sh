# gen-labels.sh: sourced by the label-* tests: rows of three classes far
# apart, as a table with a text label column and as an NPY array with a
# numeric one.  No random numbers: a fixed wobble from sin() makes the
# same rows under any awk.
#
# Row r (from 1) is of class dog, bird, cat, dog, ... in turn, as numbers
# 10, 2, 7, 10, ...  Its values a, b, c, d are 4 in its class's one of a,
# b and c and 0 in the others, and d is 0, 2 or -2, each plus a wobble of
# at most 1.5.  The class is given in one row of EVERY (rows 1, 1 + EVERY,
# ...; EVERY 1: all of them), not in the others: every 5th row meets the
# classes first in the order dog, cat, bird (10, 7, 2), not sorted.
. "$TOP/tests/bytes.sh"

_labels_awk='
function value(r, j, k) {
	return (j == k ? 4 : j == 4 ? 2 * (k - 2) : 0) + sin(r * 1.7 + j * 2.3) + 0.5 * sin(r * r * 0.37 + j)
}
function esc(b) { return sprintf("\\%03o", b) }
function f32(x,    s, e, m, b) {        # x as little-endian float32, in printf escapes
	s = x < 0 ? 128 : 0
	if (x < 0)
		x = -x
	if (x == 0)
		return esc(0) esc(0) esc(0) esc(s)
	for (e = 0; x >= 2; e++)
		x /= 2
	for (; x < 1; e--)
		x *= 2
	b = (e + 127) * 8388608 + int((x - 1) * 8388608 + 0.5)
	return esc(b % 256) esc(int(b / 256) % 256) esc(int(b / 65536) % 256) esc(int(b / 16777216) + s)
}
BEGIN {
	split("cat dog bird", text, " ")
	split("7 10 2", number, " ")
	if (fmt == "csv")
		print "id,a,b,c,d,kind"
	for (r = 1; r <= n; r++) {
		k = r % 3 + 1
		given = (r - 1) % every == 0
		if (fmt == "csv") {
			printf "r%d", r
			for (j = 1; j <= 4; j++)
				printf ",%.3f", value(r, j, k)
			printf ",%s\n", given ? text[k] : ""
		} else {
			for (j = 1; j <= 4; j++)
				printf "%s", f32(value(r, j, k))
			printf "%s", given ? f32(number[k]) : esc(0) esc(0) esc(192) esc(127)   # NaN
		}
	}
}'

# labelled N [EVERY]: N rows of id,a,b,c,d,kind as CSV, with a header line.
labelled() {
	awk -v n="$1" -v every="${2:-5}" -v fmt=csv "$_labels_awk"
}

# labelled_npy N [EVERY]: the same rows as an N x 5 float32 NPY array: a,
# b, c, d and the class as a number, NaN where it is not given.
labelled_npy() {
	npy_header "$(npy_dict '<f4' "($1, 5)")"
	printf "$(awk -v n="$1" -v every="${2:-5}" -v fmt=npy "$_labels_awk")"
}
