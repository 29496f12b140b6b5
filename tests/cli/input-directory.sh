# A directory given as the input, or as the model, cannot be read: exit 74,
# naming the file, with the system's reason; a read error is the file's, not
# a record's, so no line number is given.
. "$TOP/tests/setup"
vae-fit -q -e 1 -j 1 -o m.vae "$DATA/tiny.csv"
mkdir dir
vae-score -m m.vae dir || echo "exit $?"
vae-score -m m.vae < dir || echo "exit $?"
vae-fit -q -e 1 -j 1 -o x.vae dir || echo "exit $?"
vae-score -m dir "$DATA/tiny.csv" || echo "exit $?"
vae-info dir || echo "exit $?"
