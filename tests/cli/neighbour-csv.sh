# pandas and Miller (mlr) read vae's CSV output as RFC 4180 has it: kept
# fields that hold commas, quotes and line breaks come back as they were
# written, beside the numbers.  Needs python3-pandas and miller (exit 77
# without).
. "$TOP/tests/setup"
PY=/usr/bin/python3
if ! "$PY" -c 'import pandas' 2> /dev/null || ! command -v mlr > /dev/null; then
	echo "skipped: needs $PY with pandas, and mlr (miller)" >&2
	exit 77
fi
{
	echo 'id,note,x,y'
	awk 'BEGIN { for (i = 1; i <= 40; i++) printf "%d,%s,%g,%g\n", i,
		i % 4 == 0 ? "\"a, b\"" : i % 4 == 1 ? "\"say \"\"hi\"\"\"" : i % 4 == 2 ? "\"two\nlines\"" : "plain",
		i / 7, (i * 3) % 11 }'
} > in.csv
vae-fit -q -j 1 -e 1 -k id,note -o m.vae in.csv
vae-enc -m m.vae -k id,note in.csv > out.csv
notes='["say \"hi\"", "two\nlines", "plain", "a, b"] * 10'
"$PY" -c "import pandas as pd
d = pd.read_csv('out.csv')
ok = list(d.columns[:2]) == ['id', 'note'] and list(d['note']) == $notes and len(d) == 40
print('pandas:', d.shape, 'the kept fields as written' if ok else 'DIFFERS')"
mlr --icsv --ojson cat out.csv > out.json
"$PY" -c "import json
d = json.load(open('out.json'))
ok = [r['note'] for r in d] == $notes and len(d[0]) == 4
print('mlr:', len(d), 'records', 'the kept fields as written' if ok else 'DIFFERS')"
