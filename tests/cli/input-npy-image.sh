# An N x H x W NPY array is N rows of H*W values whose image shape the model
# remembers: vae-sample -O png tiles its samples without --image (4 tiles of
# 2 high by 3 wide, 2 across: 12x10 with the 2-pixel gaps), as it does for
# IDX.  A 2-D array has no image shape: png output then needs --image.
. "$TOP/tests/setup"
. "$TOP/tests/bytes.sh"
if ! command -v pngcheck > /dev/null; then
	echo "skipped: needs pngcheck" >&2
	exit 77
fi
px=$(awk 'BEGIN { for (i = 0; i < 120; i++) printf "%d ", (i * 37 + int(i / 6) * 11) % 256 }')
{ npy_header "$(npy_dict '|u1' '(20, 2, 3)')"; bytes $px; } > img.npy
{ npy_header "$(npy_dict '|u1' '(20, 6)')"; bytes $px; } > flat.npy
vae-fit -q -e 1 -j 1 -l bernoulli -o img.vae img.npy
vae-fit -q -e 1 -j 1 -l bernoulli -o flat.vae flat.npy
vae-sample -m img.vae -n 4 -O png > img.png
pngcheck img.png | sed 's/^\(OK: img.png ([^,]*, [^,]*\).*/\1/'
vae-enc -m img.vae img.npy > img.enc
vae-enc -m img.vae flat.npy | cmp - img.enc && echo "the same rows as 2-D and as 3-D"
vae-sample -m flat.vae -n 4 -O png > flat.png 2> err || echo "2-D: exit $?"
grep -q 'png output needs an image shape' err && echo "  saying png output needs an image shape"
