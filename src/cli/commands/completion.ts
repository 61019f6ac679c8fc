import type { Command } from 'commander';
import { CliError, EXIT } from '../errors.js';
import { reportError } from './common.js';

interface Node {
  path: string;
  subcommands: string[];
  options: string[];
}

/** Every command path ("coffer secret list") with its subcommands and long options, from commander's own tree. */
const walk = (command: Command, path: string): Node[] => {
  const subcommands = command.commands.map((sub) => sub.name());
  const options = [...command.options.map((option) => option.long).filter((long): long is string => long !== undefined), '--help'];
  return [{ path, subcommands, options }, ...command.commands.flatMap((sub) => walk(sub, `${path} ${sub.name()}`))];
};

const quote = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`;

/** zsh fills an associative array from key/value pairs; `[key]=value` is bash's form. */
const pairs = (nodes: Node[], name: string, pick: (node: Node) => string[]): string =>
  `${name}=(\n${nodes.map((node) => `  ${quote(node.path)} ${quote(pick(node).join(' '))}`).join('\n')}\n)`;

const table = (nodes: Node[], name: string, pick: (node: Node) => string[]): string =>
  nodes.map((node) => `  [${quote(node.path)}]=${quote(pick(node).join(' '))}`).join('\n').replace(/^/, `${name}=(\n`) + '\n)';

const bash = (nodes: Node[]): string => `# coffer completion for bash: source <(coffer completion bash)
declare -A _coffer_subs _coffer_opts
${table(nodes, '_coffer_subs', (node) => node.subcommands)}
${table(nodes, '_coffer_opts', (node) => node.options)}
_coffer() {
  local path=coffer word i cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ "\${word}" == "--" ]] && return 0
    if [[ " \${_coffer_subs[$path]} " == *" \${word} "* ]]; then path="$path \${word}"; fi
  done
  if [[ "\${cur}" == -* ]]; then
    COMPREPLY=( $(compgen -W "\${_coffer_opts[$path]}" -- "\${cur}") )
  elif [[ -n "\${_coffer_subs[$path]}" ]]; then
    COMPREPLY=( $(compgen -W "\${_coffer_subs[$path]}" -- "\${cur}") )
  else
    COMPREPLY=( $(compgen -f -- "\${cur}") )
  fi
}
complete -o default -F _coffer coffer
`;

const zsh = (nodes: Node[]): string => `#compdef coffer
# coffer completion for zsh: source <(coffer completion zsh), or save as _coffer in your $fpath
typeset -gA _coffer_subs _coffer_opts
${pairs(nodes, '_coffer_subs', (node) => node.subcommands)}
${pairs(nodes, '_coffer_opts', (node) => node.options)}
_coffer() {
  local path=coffer word
  for word in \${words[2,CURRENT-1]}; do
    [[ "$word" == "--" ]] && { _normal; return; }
    if [[ " \${_coffer_subs[$path]} " == *" $word "* ]]; then path="$path $word"; fi
  done
  if [[ "\${words[CURRENT]}" == -* ]]; then
    compadd -- \${=_coffer_opts[$path]}
  elif [[ -n "\${_coffer_subs[$path]}" ]]; then
    compadd -- \${=_coffer_subs[$path]}
  else
    _files
  fi
}
compdef _coffer coffer
`;

/** `coffer completion bash|zsh`: a script generated from the commands themselves, so it never goes stale. */
export const registerCompletion = (program: Command): void => {
  program
    .command('completion')
    .description('print a shell completion script (bash or zsh)')
    .argument('<shell>', 'bash or zsh')
    .action((shell: string) => {
      try {
        const nodes = walk(program, 'coffer');
        if (shell === 'bash') {
          process.stdout.write(bash(nodes));
        } else if (shell === 'zsh') {
          process.stdout.write(zsh(nodes));
        } else {
          throw new CliError('the shell is bash or zsh', EXIT.usage);
        }
      } catch (error) {
        reportError(error);
      }
    });
};
