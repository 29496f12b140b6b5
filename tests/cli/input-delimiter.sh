# -d ';' reads semicolon-separated text as the same rows as the CSV: the
# same model and scores (written as CSV, the default).  Without -d the
# semicolons are data: the header is one column, which the model lacks.
. "$TOP/tests/setup"
vae-fit -q -e 1 -j 1 -o csv.vae "$DATA/tiny.csv"
vae-score -m csv.vae "$DATA/tiny.csv" > want.out
tr , ';' < "$DATA/tiny.csv" > tiny.ssv
vae-fit -q -e 1 -j 1 -d ';' -o ssv.vae tiny.ssv
cmp csv.vae ssv.vae && echo "same model"
vae-score -m csv.vae -d ';' tiny.ssv | cmp - want.out && echo "same scores"
vae-score -m csv.vae --delimiter ';' < tiny.ssv | cmp - want.out && echo "--delimiter, stdin: same scores"
# A quoted field may hold the delimiter.
printf 'id;a;b;c\n"x;y";1;2;3\n' | vae-score -m csv.vae -d ';' -k id | cut -d, -f1
vae-score -m csv.vae tiny.ssv
