# A model file of another format version (the u32 at byte 8, little-endian;
# this program writes 3, or 4 for a model of two latent levels, and reads
# 1 to 4)
# is refused by version, before the CRC is looked at.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
od -An -tx1 -j 8 -N 4 m.vae
cp m.vae v5.vae
printf '\005\000\000\000' | dd of=v5.vae bs=1 seek=8 conv=notrunc 2> /dev/null
od -An -tx1 -j 8 -N 4 v5.vae
vae-info v5.vae || echo "vae-info: exit $?"
vae-enc -m v5.vae "$DATA/tiny.csv" || echo "vae-enc: exit $?"
