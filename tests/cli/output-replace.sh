# -o replaces a file as `>` would: through a symbolic link (the link stays,
# its target gets the output), keeping the old file's permissions.
. "$TOP/tests/setup"
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
echo old > target.csv
ln -s target.csv link.csv
vae-score -m m.vae -o link.csv "$DATA/tiny.csv"
[ -L link.csv ] && echo "link.csv: still a link to $(readlink link.csv)"
echo "target.csv: $(head -1 target.csv)"
echo old > private.csv
chmod 600 private.csv
vae-score -m m.vae -o private.csv "$DATA/tiny.csv"
echo "private.csv: mode $(stat -c %a private.csv), $(head -1 private.csv)"
mkdir sub && ln -s ../target.csv sub/rel.csv && echo old > target.csv
vae-score -m m.vae -o sub/rel.csv "$DATA/tiny.csv"
echo "through a relative link in another directory: $(head -1 target.csv)"
echo "left behind: $(ls | tr '\n' ' ')"
