# A label column through every program (M2, vae-fit --label): a table of
# three classes far apart (tests/gen-labels.sh), a text label in one row
# in five, met in the order dog, cat, bird, and an id kept with -k.
# vae-fit counts the classes and the labelled rows; vae-info lists the
# classes sorted.  vae-enc reads the label column by its name and writes
# it only when -k names it; --predict appends the likeliest class and its
# probability, right for nearly every new row.  vae-score scores rows
# with the column and without it, and a row under its own class scores
# lower than under another; --explain shares out the reconstruction under
# the row's class, or its likeliest without one.  vae-sample --label
# writes rows of that class, which vae-enc predicts as it; vae-dec decodes
# vae-enc --predict's codes under the class they carry.  Then a numeric
# label in an NPY array, NaN where there is none, given by field number:
# its classes are ordered by value and printed as numbers, as indices in
# NPY output.  Shapes, counts, class names and properties: trained
# figures differ between machines.
. "$TOP/tests/setup"
. "$TOP/tests/gen-labels.sh"
labelled 300 > train.csv
labelled 600 1 | sed -n '1p; 302,$p' > truth.csv        # 300 new rows, each with its class
cut -d, -f1-5 truth.csv > new.csv                       # the same without the label column
vae-fit -k id --label kind -e 30 -j 1 -o m.vae train.csv 2> fit.err
grep -e '--label' fit.err
vae-info m.vae | grep -E '^(classifier|kind|label|classes):'

fields() { awk -F, '{ print NF }' "$1" | sort -u | tr '\n' ' '; echo "($(wc -l < "$1") lines)"; }
# share A B: "at least 95%" when A is at least 0.95 B, else A of B
share() { awk -v a="$1" -v b="$2" 'BEGIN { print (a >= 0.95 * b ? "at least 95%" : a " of " b) }'; }

vae-enc -m m.vae -k id train.csv > z.csv
echo "enc: $(head -n 1 z.csv), $(fields z.csv)"
vae-enc -m m.vae -k id,kind train.csv > zk.csv
echo "enc -k id,kind: $(head -n 1 zk.csv)"
vae-enc -m m.vae -k id --predict new.csv > pred.csv
echo "enc --predict: $(head -n 1 pred.csv), $(fields pred.csv)"
awk -F, 'NR > 1 && !($4 == "bird" || $4 == "cat" || $4 == "dog") { bad++ }
	NR > 1 && !($5 >= 0 && $5 <= 1) { bad++ }
	END { print "each class bird, cat or dog, each p in [0, 1]:", bad + 0, "rows not" }' pred.csv
right=$(paste -d, pred.csv truth.csv | awk -F, 'NR > 1 && $4 == $11 { n++ } END { print n + 0 }')
echo "enc --predict on new rows, right: $(share "$right" 300)"

vae-score -m m.vae -k id train.csv > s.csv
vae-score -m m.vae -k id new.csv > s-none.csv
finite() { awk -F, 'NR > 1 && !($2 + 0 == $2 + 0 && $2 < 1e30 && $2 > -1e30) { bad++ }
	END { print NR - 1, "rows,", bad + 0, "not finite" }' "$1"; }
echo "score, some rows labelled: $(head -n 1 s.csv), $(finite s.csv)"
echo "score, no label column: $(head -n 1 s-none.csv), $(finite s-none.csv)"
# each new row under its own class, then under the next one
awk -F, -v OFS=, 'NR > 1 { $6 = $6 == "dog" ? "cat" : $6 == "cat" ? "bird" : "dog" } { print }' \
	truth.csv > wrong.csv
vae-score -m m.vae -k id truth.csv > s-right.csv
vae-score -m m.vae -k id wrong.csv > s-wrong.csv
lower=$(paste -d, s-right.csv s-wrong.csv | awk -F, 'NR > 1 && $2 < $4 { n++ } END { print n + 0 }')
echo "score under the row's class lower than under another: $(share "$lower" 300)"
# --explain shares the reconstruction the score is made of: under the
# row's label, or its likeliest class when it has none
vae-score -m m.vae -k id --explain 1 truth.csv > e-right.csv
vae-score -m m.vae -k id --explain 1 wrong.csv > e-wrong.csv
vae-score -m m.vae -k id --explain 1 new.csv > e-none.csv
differ() { paste -d, "$1" "$2" | awk -F, 'NR > 1 && $3 != $6 { n++ } END { print n + 0 }'; }
echo "explain under another class differs from under the row's: $(share "$(differ e-right.csv e-wrong.csv)" 300)"
none=$(differ e-right.csv e-none.csv)
echo "explain without a label differs from under the row's: in $([ "$none" -le 15 ] && echo "at most 5%" || echo "$none") of the rows"

vae-sample -m m.vae -n 20 --label cat > cat.csv
echo "sample --label cat: $(head -n 1 cat.csv), $(fields cat.csv)," \
	"last field cat in $(awk -F, 'NR > 1 && $NF == "cat"' cat.csv | wc -l | tr -d ' ')"
cat=$(vae-enc -m m.vae --predict cat.csv | awk -F, 'NR > 1 && $3 == "cat"' | wc -l)
echo "sample --label cat, predicted cat: $(share "$cat" 20)"
vae-sample -m m.vae -n 300 > any.csv
echo "sample: $(head -n 1 any.csv), classes drawn: $(awk -F, 'NR > 1 { print $NF }' any.csv | sort -u | tr '\n' ' ')"

vae-dec -m m.vae pred.csv > dec.csv
echo "dec of enc --predict: $(head -n 1 dec.csv), $(fields dec.csv)"
same=$(vae-enc -m m.vae -k id --predict dec.csv | paste -d, - dec.csv |
	awk -F, 'NR > 1 && $4 == $7 { n++ } END { print n + 0 }')
echo "dec of enc --predict, predicted as the class decoded under: $(share "$same" 300)"
dog=$(vae-dec -m m.vae --label dog pred.csv | cut -d, -f1,4- | vae-enc -m m.vae --predict |
	awk -F, 'NR > 1 && $3 == "dog"' | wc -l)
echo "dec --label dog, predicted dog: $(share "$dog" 300)"

# A numeric label, field 5 of an NPY array (no header, no names)
labelled_npy 300 > train.npy
vae-fit --label 5 -e 30 -j 1 -o n.vae train.npy 2> fit.err
grep -e '--label' fit.err
vae-info n.vae | grep -E '^(label|classes):'
vae-enc -m n.vae --label 5 --predict train.npy > npred.csv
echo "enc --label 5 --predict: $(fields npred.csv)"
vae-enc -m n.vae -f 1-4 --label 5 --predict train.npy | cmp - npred.csv && echo "the same with -f 1-4"
# row r's class: 10, 2, 7, 10, ...
right=$(awk -F, '$3 == (NR % 3 == 1 ? 10 : NR % 3 == 2 ? 2 : 7) { n++ } END { print n + 0 }' npred.csv)
echo "enc --predict, right: $(share "$right" 300)"
vae-enc -m n.vae --label 5 --predict -O npy --compress 0 train.npy > npred.npy
len=$(od -An -tu2 -j 8 -N 2 npred.npy | tr -d ' ')
echo "enc --predict -O npy: $(head -c $((10 + len)) npred.npy | grep -ao "'shape': ([0-9, ]*)"), classes as indices:" \
	"$(od -An -v -tf4 -w16 -j $((10 + len)) npred.npy | awk '{ print $3 }' | sort -u | tr '\n' ' ')"
vae-sample -m n.vae -n 5 --label 7 > seven.csv
echo "sample --label 7: $(fields seven.csv), last fields: $(cut -d, -f5 seven.csv | sort -u)"
vae-sample -m n.vae -n 5 --label 7.0 | cmp - seven.csv && echo "sample --label 7.0: the class 7"
