# -o refuses a file its user may not write, as `>` does, though the
# directory would let a rename replace it: a read-only file of another
# user's in a shared directory keeps its bytes.  Run as root, the test
# takes the user nobody (setpriv), since root may write anything.
. "$TOP/tests/setup"
as_user() { "$@"; }
if [ "$(id -u)" = 0 ]; then
	command -v setpriv > /dev/null || { echo "skipped: root, and no setpriv to drop it" >&2; exit 77; }
	as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
fi
chmod 755 .
vae-fit -q -e 1 -o m.vae "$DATA/tiny.csv"
cp "$DATA/tiny.csv" tiny.csv
mkdir shared && chmod 777 shared
echo old > shared/readonly.csv
chmod 444 shared/readonly.csv
as_user vae-score -m m.vae -o shared/readonly.csv tiny.csv 2> err || echo "exit $?"
sed 's/^[^:]*: //' err
echo "readonly.csv holds: $(cat shared/readonly.csv)"
echo "shared/: $(ls shared | tr '\n' ' ')"
