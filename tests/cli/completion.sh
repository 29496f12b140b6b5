# The bash completion (completion/vae.bash): each program's options come
# from its --help, the words an option takes (--metric elbo) are each
# named in the --help of every program that has the option, --types
# completes a kind after a column's name, and file names go by extension:
# models after -m and for vae-info, data elsewhere.  vae-sample's and
# vae-dec's --label completes the classes of the model of -m (quoted, never
# expanded), the others' --label (a column) nothing.  Needs bash and
# bash-completion (exit 77 without).
. "$TOP/tests/setup"
bc=/usr/share/bash-completion/bash_completion
if ! command -v bash > /dev/null || [ ! -r "$bc" ]; then
	echo "skipped: needs bash and bash-completion" >&2
	exit 77
fi
touch a.csv b.vae c.npy d.txt e.png f.tsv.gz
cat > t.bash <<'B'
. "$1"
. "$2"
comp() {        # comp WORDS...: the completions of the last word, sorted
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_vae "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
	echo
}
comp vae-score --met
comp vae-score --metric ''
comp vae-score --metric=n
comp vae-enc -m ''
comp vae-score -m b.vae ''
comp vae-info ''
comp vae-fit --types plan:c
comp vae-fit --lik
comp vae-enc --pre
# a model with a label, made after the file names above: a class "big $(cat)"
mkdir lab
sh -c '. "$TOP/tests/gen-labels.sh"; labelled 30' | sed 's/,cat$/,big $(cat)/' > lab/l.csv
vae-fit -q -k id --label kind -e 1 -o lab/l.vae lab/l.csv
comp vae-sample -m lab/l.vae --label ''
comp vae-dec --model=lab/l.vae --label d
comp vae-sample -m b.vae --label ''
comp vae-enc -m lab/l.vae --label ''
for p in vae-fit vae-enc vae-dec vae-score vae-sample vae-info vae-impute; do
	comp "$p" - | tr ' ' '\n' | grep . > "opts.$p"
	for o in $(cat "opts.$p"); do
		want=$(_vae_words "$o") || continue
		for w in $want; do
			"$p" --help | grep -e "$o" | grep -qw -- "$w" ||
				"$p" --help | grep -A3 -e "$o" | grep -qw -- "$w" ||
				echo "$p $o: $w is not in --help"
		done
	done
done
B
bash t.bash "$bc" "$TOP/completion/vae.bash"
# every option of --help is offered, and nothing else
for p in vae-fit vae-enc vae-dec vae-score vae-sample; do
	"$p" --help | grep -oE -- '(^| )--?[A-Za-z][-A-Za-z0-9]*' | tr -d ' ' | sort -u | cmp - "opts.$p" &&
		echo "$p: the options of --help"
done
