# bash completion for the vae programs (vae-fit, vae-enc, vae-dec,
# vae-score, vae-sample, vae-info, vae-impute), installed under each name
# for bash-completion to load.  The options come from the program's own
# --help, so they are always its own; the words an option takes are listed
# here (tests/cli/completion.sh checks each against --help); file names by
# extension: models (.vae) after -m and --init and for vae-info, data
# elsewhere.

_vae_words() {
	case $1 in
	--metric) echo recon elbo nll ;;
	-l | --likelihood) echo bernoulli gaussian laplace ;;
	-a | --activation) echo relu tanh softplus ;;
	--scale) echo none standard minmax ;;
	-I | --input-format) echo auto csv tsv npy idx ;;
	-O | --output-format) echo csv tsv npy idx png ;;
	--missing) echo error skip mask ;;
	--unseen) echo error other ;;
	--level) echo 1 2 ;;
	*) return 1 ;;
	esac
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
