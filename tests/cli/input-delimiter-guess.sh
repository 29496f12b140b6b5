# A semicolon-separated file, as spreadsheets write where the comma is the
# decimal mark, read without -d: the comma is guessed, the first line is one
# field, and the messages that follow say the delimiter was guessed and
# name -d.  With -d ';', or -I csv (no guess), no such hint.
. "$TOP/tests/setup"
printf 'a;b;c\n1,5;2;3\n4;5,5;6\n' > decimal.csv
printf 'a;b;c\n1;2;3\n4;5;6\n' > plain.csv
vae-fit -q -e 1 -o m.vae decimal.csv || echo "exit $?"
vae-fit -q -e 1 -o m.vae plain.csv || echo "exit $?"
vae-fit -q -e 1 -I csv -o m.vae decimal.csv || echo "exit $?"
vae-fit -q -e 1 -j 1 -d ';' -o m.vae plain.csv && echo "-d ';': fitted"
vae-score -m m.vae plain.csv || echo "exit $?"
vae-score -m m.vae -d ';' plain.csv | head -1
