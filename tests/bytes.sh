# tests/bytes.sh: sourced by CLI tests that build NPY and IDX inputs byte by byte.

# bytes N...: each decimal N as one byte.
bytes() {
	for b; do
		printf "\\$(printf %o "$b")"
	done
}

# npy_header DICT: NPY 1.0 as numpy writes it: magic, version, the header
# length (u16, little-endian), DICT padded with spaces and ended by a newline
# at a multiple of 64 bytes.
npy_header() {
	n=$((${#1} + 1))
	pad=$(((64 - (10 + n) % 64) % 64))
	printf '\223NUMPY\001\000'
	bytes $(((n + pad) % 256)) $(((n + pad) / 256))
	printf "%s%${pad}s\n" "$1" ''
}

# npy_dict DESCR SHAPE: the dict of a C-order array.
npy_dict() {
	printf "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" "$1" "$2"
}

# Little-endian float32 values.
F1='0 0 128 63' F2='0 0 0 64' F3='0 0 64 64' FNAN='0 0 192 127'
