# A model file of another format version (the u32 at byte 8, little-endian;
# this program writes 3, 4 for a model of two latent levels, or 5 for one
# with a label, and reads 1 to 5)
# is refused by version, before the CRC is looked at.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
od -An -tx1 -j 8 -N 4 m.vae
cp m.vae v6.vae
printf '\006\000\000\000' | dd of=v6.vae bs=1 seek=8 conv=notrunc 2> /dev/null
od -An -tx1 -j 8 -N 4 v6.vae
vae-info v6.vae || echo "vae-info: exit $?"
vae-enc -m v6.vae "$DATA/tiny.csv" || echo "vae-enc: exit $?"
