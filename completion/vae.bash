# bash completion for the vae programs (vae-fit, vae-enc, vae-dec,
# vae-score, vae-sample, vae-info, vae-impute), installed under each name
# for bash-completion to load.  The options come from the program's own
# --help, so they are always its own; the words an option takes are listed
# here (tests/cli/completion.sh checks each against --help); file names by
# extension: models (.vae) after -m and --init and for vae-info, data
# elsewhere; after --label, vae-sample's and vae-dec's the classes of the
# model of -m.

_vae_words() {
	case $1 in
	--metric) echo recon elbo nll ;;
	-l | --likelihood) echo bernoulli gaussian laplace ;;
	-a | --activation) echo relu tanh softplus ;;
	--scale) echo none standard minmax ;;
	-I | --input-format) echo auto csv tsv npy idx ;;
	-O | --output-format) echo csv tsv npy idx png ;;
	--missing) echo error skip mask ;;
	--compute) echo f32 bf16 ;;
	--unseen) echo error other ;;
	--level) echo 1 2 ;;
	*) return 1 ;;
	esac
}

# The model named by -m or --model on the line being completed.
_vae_model() {
	local i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-m | --model) echo "${words[i + 1]}"; return ;;
		--model=*) echo "${words[i]#--model=}"; return ;;
		esac
	done
}

# The classes of a model with a label, one a line, as vae-info lists them
# ("classes: 3: bird, cat, dog"); $1 the program, whose vae-info is beside it.
_vae_classes() {
	local info=vae-info
	[[ $1 == */* ]] && info=${1%/*}/vae-info
	"$info" -m "$2" 2> /dev/null | sed -n 's/^classes: [0-9]*: //p' | sed 's/, /\n/g'
}

# The kinds --types takes after a column's name and a colon.
_vae_kinds='real positive count binary cat'

_vae() {
	local cur prev words cword split words_of
	_init_completion -s || return
	case $prev in
	-m | --model | --init)
		_filedir vae
		return ;;
	-o | --output | --log)
		_filedir
		return ;;
	--label)
		# vae-sample and vae-dec take a class of the model: vae-info
		# lists them; the others a column, which is not a file
		# (read as they are, never expanded, quoted for the line)
		local model class
		if [[ $1 == *vae-sample || $1 == *vae-dec ]] && model=$(_vae_model) && [[ -f $model ]]; then
			while IFS= read -r class; do
				[[ $class == "$cur"* ]] && COMPREPLY+=("$(printf %q "$class")")
			done < <(_vae_classes "$1" "$model")
		fi
		return ;;
	--types)
		if [[ $cur == *:* ]]; then
			COMPREPLY=($(compgen -P "${cur%:*}:" -W "$_vae_kinds" -- "${cur##*:}"))
			compopt -o nospace 2> /dev/null
		fi
		return ;;
	esac
	if words_of=$(_vae_words "$prev"); then
		COMPREPLY=($(compgen -W "$words_of" -- "$cur"))
		return
	fi
	$split && return
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$("$1" --help 2> /dev/null |
			grep -oE -- '(^| )--?[A-Za-z][-A-Za-z0-9]*' | tr -d ' ' | sort -u)" -- "$cur"))
		return
	fi
	if [[ $1 == vae-info ]]; then
		_filedir vae    # its arguments are models
	else
		_filedir '@(csv|tsv|txt|npy|idx|*-ubyte|gz)'
	fi
}
complete -F _vae vae-fit vae-enc vae-dec vae-score vae-sample vae-info vae-impute
