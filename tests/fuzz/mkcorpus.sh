#!/bin/sh
# tests/fuzz/mkcorpus.sh: write the seed corpora tests/fuzz/corpus/NAME/
# afresh: a few small valid inputs per harness, each behind the control
# bytes its harness reads first (see tests/fuzz/README).  Needs python3
# with numpy (PYTHON, default /usr/bin/python3, the system one) and a
# built vae-fit; run from anywhere after make.  The
# corpora are committed: run this only to change them.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
C=$TOP/tests/fuzz/corpus
PYTHON=${PYTHON:-/usr/bin/python3}
rm -rf "$C"
mkdir -p "$C/text" "$C/npy" "$C/idx" "$C/gzip" "$C/model" "$C/table"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$TOP/vae-fit" -q -e 1 -H 4 -z 2 -o "$C/model/tiny" "$TOP/tests/data/tiny.csv"
"$TOP/vae-fit" -q -e 1 -H 3,2 -z 1 -a tanh -l laplace --ae -f a,c -o "$C/model/ae-named" \
	"$TOP/tests/data/tiny.csv"
"$PYTHON" - "$tmp/img.npy" <<'PY'
import sys, numpy as np
np.save(sys.argv[1], (np.arange(8 * 3 * 3) % 7 / 7).reshape(8, 3, 3).astype('<f4'))
PY
"$TOP/vae-fit" -q -e 1 -H 2 -z 1 -l bernoulli -o "$C/model/image" "$tmp/img.npy"
# A table model (format version 2, a COLK section): a cat column of text, a
# count, a binary of 0 and 1, a real one, missing cells masked, and an
# "other" level in each cat column (member's two texts make it a cat).
cat > "$tmp/mixed.csv" <<'CSV'
colour,visits,member,flag,spend
red,3,yes,1,12.5
green,0,no,0,3.25
blue,7,yes,1,
red,,no,0,8
green,2,,1,4.75
blue,1,yes,,20
red,5,no,0,NA
,4,yes,1,6.5
CSV
"$TOP/vae-fit" -q -e 1 -H 2 -z 1 --missing mask --unseen other -o "$C/model/table" "$tmp/mixed.csv"
# Two latent levels (format version 4, an LVL2 section before ARCH).
"$TOP/vae-fit" -q -e 1 -H 4 -z 2,1 -o "$C/model/levels" "$TOP/tests/data/tiny.csv"
# A label (format version 5, a LABL section before ARCH): a table's
# columns and three classes of text, named, some rows without one.
"$TOP/vae-fit" -q -e 1 -H 2 -z 1 --missing mask --label colour -o "$C/model/label" "$tmp/mixed.csv"

"$PYTHON" - "$C" <<'PY'
import gzip, io, struct, sys, zlib
import numpy as np

C = sys.argv[1]

def ctl(fmt=0, header=0, skip=0, select=0, chunk=0, delim=0, keep_all=0, mask=0):
    """The two control bytes of tests/fuzz/fuzz.h's fuzz_ctl_decode."""
    return bytes([fmt | header << 2 | skip << 4 | select << 5,
                  chunk | delim << 3 | keep_all << 5 | mask << 6])

def put(name, data):
    with open(f"{C}/{name}", "wb") as f:
        f.write(data)

# text: format 0 auto 1 csv 2 tsv; header 0 auto 1 no 2 yes; select 0..7
# (tests/fuzz/fuzz.h); chunk index 0..7 (1, 2, 3, 5, 8, 64, 257, 4096 rows);
# delim 0 sniff 1 ',' 2 tab 3 ';'
put("text/header.csv", ctl() + b"a,b,c\n1,2,3\n4.5,-6e-1,7\n")
put("text/quoted-crlf.csv", ctl(select=5, chunk=2, keep_all=1) +
    b'id,note,a,b,c\r\n1,"hello, world",0.1,0.2,0.3\r\n2,"she said ""hi""",0.4,0.5,0.6\r\n'
    b'3,"two\r\nlines",1,2,3\r\n')
put("text/missing.tsv", ctl(fmt=2, header=2, skip=1, select=3, chunk=1) +
    b"id\tx\ty\n1\t0.5\tNA\n2\t1\t2\n3\t\t4\n")
put("text/no-header-semicolon.csv", ctl(fmt=1, header=1, select=1, chunk=4, delim=3) +
    b"1;2;3;4;5\n6;7;8;9;10\n")
put("text/lists.csv", ctl(select=7, chunk=1) + b"2-3,a\0id\0" +
    b"id,a,b,c\nx,1,2,3\ny,4,5,6\n")
put("text/names.csv", ctl(select=4, chunk=3) + b"c,b,a,d\n1,2,3,4\n\n5,6,7,8\n")
put("text/ragged.csv", ctl(select=6, chunk=0) + b"id,a,c\n1,2,3\n4,5\n")

# npy: dtypes and versions the reader takes; the format is forced
def npy(a, version=None):
    f = io.BytesIO()
    if version:
        np.lib.format.write_array(f, a, version=version)
    else:
        np.save(f, a)
    return f.getvalue()

put("npy/f4.npy", ctl(chunk=1) + npy(np.arange(6, dtype="<f4").reshape(2, 3) / 4))
put("npy/f8-v2.npy", ctl(select=1, chunk=2) + npy(np.linspace(-1, 1, 15).reshape(3, 5), (2, 0)))
put("npy/u1-image.npy", ctl(select=2, chunk=0, keep_all=1) +
    npy(np.arange(12, dtype="u1").reshape(3, 2, 2)))
put("npy/i2-be.npy", ctl(chunk=3) + npy(np.array([[1, -2], [300, -400]], dtype=">i2")))
put("npy/i8-v3.npy", ctl(skip=1, chunk=5) + npy(np.array([[1, 2, 3]], dtype="<i8"), (3, 0)))
put("npy/bool-1d.npy", ctl(select=3) + npy(np.array([True, False, True])))
put("npy/f4-nan.npy", ctl(skip=1) + npy(np.array([[1, np.nan], [2, 3]], dtype="<f4")))
put("npy/f4-fortran.npy", ctl(chunk=2) + npy(np.asfortranarray(np.arange(24, dtype="<f4").reshape(2, 3, 4))))

# idx: 00 00 type rank, big-endian dimensions, big-endian values
def idx(t, dims, values):
    fmt = {8: "B", 9: "b", 11: "h", 12: "i", 13: "f", 14: "d"}[t]
    return (bytes([0, 0, t, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) +
            struct.pack(">%d%s" % (len(values), fmt), *values))

put("idx/u8-images", ctl(chunk=1) + idx(8, [2, 2, 3], list(range(12))))
put("idx/i8-rows", ctl(select=1, chunk=2) + idx(9, [3, 5], [-1, 2, -3, 4, -5] * 3))
put("idx/i16", ctl(select=2, keep_all=1) + idx(11, [2, 2], [1000, -1000, 7, 8]))
put("idx/i32-1d", ctl(chunk=4) + idx(12, [4], [1, -2, 3, 2**31 - 1]))
put("idx/f32", ctl(select=3, chunk=3) + idx(13, [2, 3], [0.5, -1.5, 3e8, 1e-30, 0, 2]))
put("idx/f64-nan", ctl(skip=1) + idx(14, [3, 1], [1.0, float("nan"), 2.0]))

# gzip: one gzip control byte (tests/fuzz/gzip.c), the reader's two, payload
def gz(mode, repeat=0, two=0, cut=0):
    return bytes([mode | repeat << 2 | two << 5 | cut << 6])

csv = b"a,b,c\n0.360,0.955,0.162\n-0.330,0.972,-0.098\n"
put("gzip/csv.gz", gz(0) + ctl() + gzip.compress(csv, mtime=0))
put("gzip/two-members.gz", gz(0) + ctl(chunk=1) + gzip.compress(csv[:20], mtime=0) +
    gzip.compress(csv[20:], mtime=0))
named = io.BytesIO()
with gzip.GzipFile("rows.csv", "wb", fileobj=named, mtime=0) as g:
    g.write(csv)
put("gzip/named.gz", gz(0) + ctl(select=3) + named.getvalue())
put("gzip/npy.gz", gz(0) + ctl(chunk=1) +
    gzip.compress(npy(np.arange(6, dtype="<f4").reshape(3, 2)), mtime=0))
put("gzip/stored-repeat", gz(1, repeat=3) + ctl(chunk=5) + b"1,2,3\n4,5,6\n")
put("gzip/level1-two-cut", gz(2, two=1, cut=1) + ctl(chunk=2) + csv)
put("gzip/level1-idx", gz(2, repeat=2) + ctl(chunk=1) + idx(8, [2, 2, 2], list(range(8))))
d = zlib.compressobj(6, zlib.DEFLATED, -15)
put("gzip/deflate", gz(3) + ctl() + d.compress(csv) + d.flush())

# table: the reader's two control bytes, the table harness's two
# (tests/fuzz/table.c), with kinds mode 2 eight bytes of kinds (a nibble a
# column: 0 real 1 positive 2 count 3 binary 4 cat, 15 detect), the lists
# of select mode 7, then the file
def tab(kinds=0, numbers=0, other=0, masked=0, lik=0, fixed=0, scaling=1, act=0,
        draws=0, sample=0, seed=0, each=()):
    b = bytes([kinds | numbers << 2 | other << 3 | masked << 4 | lik << 5 | fixed << 7,
               scaling | act << 2 | draws << 4 | sample << 6 | seed << 7])
    if kinds & 2:
        n = list(each) + [15] * (16 - len(each))
        b += bytes(n[i] | n[i + 1] << 4 for i in range(0, 16, 2))
    return b

mixed = (b"colour,visits,member,flag,spend\nred,3,yes,1,12.5\ngreen,0,no,0,3.25\n"
         b"blue,7,yes,1,\nred,,no,0,8\ngreen,2,,1,4.75\nblue,1,yes,,20\nred,5,no,0,NA\n"
         b",4,yes,1,6.5\n")
put("table/mixed-mask-other.csv", ctl(mask=1, chunk=2) + tab(other=1, masked=1, draws=1) + mixed)
put("table/mixed-skip-types.csv", ctl(skip=1, chunk=1) +
    tab(kinds=2, each=(4, 2, 3, 3, 0), scaling=2, act=1) + mixed)
put("table/codes-positive.tsv", ctl(fmt=2, header=2, chunk=3) + tab(kinds=1, lik=1, act=2) +
    b"code\tprice\tn\n10\t0.5\t0\n20\t12\t3\n30\t150\t1\n40\t2.25\t2\n"
    b"10\t9.5\t0\n30\t1200\t4\n20\t0.75\t1\n")
put("table/bernoulli-minmax.csv", ctl(mask=1) + tab(lik=2, scaling=2, numbers=1, masked=1,
                                                    draws=2, sample=1) +
    b"x,y,ok\n0.1,0.9,t\n0.5,,f\n0.3,0.2,t\n,0.4,f\n")
put("table/lists-keep.csv", ctl(select=7, keep_all=1, mask=1, chunk=5) + tab(other=1, seed=1) +
    b"2-4\0id\0" + b"id,kind,n,v\nx,a,1,0.5\ny,b,2,-1\nz,a,,3\nw,c,0,2\n")
put("table/spellings.csv", ctl(mask=1, chunk=1) + tab(masked=1, fixed=1, draws=3) +
    b"c,d\n1,a\n1.0,b\n1e0,a\n01,\nb,2\n2.0,NA\n")
put("table/no-header-semicolon.csv", ctl(header=1, delim=3, skip=1) + tab(numbers=1) +
    b"1;x;2.5\n0;y;\n1;x;7\n")
PY

# The quantiles section is 12 KB: the models but tiny go without it, and
# tiny-optimizer is loaded with its optimiser's state (bit 30 of the flags
# word).  The harness rewrites the length and the CRC (tests/fuzz/model.c).
"$PYTHON" - "$C/model" <<'PY'
import struct, sys, zlib
d = sys.argv[1]

def strip(name, out):
    b = open(f"{d}/{name}", "rb").read()
    head, body, at = bytearray(b[:24]), b"", 24
    while at < len(b) - 4:
        tag, n = b[at:at + 4], struct.unpack("<Q", b[at + 4:at + 12])[0]
        if tag != b"QUAN":
            body += b[at:at + 12 + n]
        at += 12 + n
    f = bytes(head) + body
    f = f[:16] + struct.pack("<Q", len(f) + 4) + f[24:]
    open(f"{d}/{out}", "wb").write(f + struct.pack("<I", zlib.crc32(f)))

strip("tiny", "tiny-optimizer")
b = bytearray(open(f"{d}/tiny-optimizer", "rb").read())
b[15] |= 0x40
open(f"{d}/tiny-optimizer", "wb").write(b)
strip("ae-named", "ae-named")
strip("image", "image")
strip("table", "table")
strip("levels", "levels")
PY
