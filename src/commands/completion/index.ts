// `astrosell completion bash|zsh|fish`: its argument and help; the script is
// drawn from the command tree in script.ts, loaded when it runs.
import type { Command } from 'commander';
import { type Verb, verb } from '../define.js';
import type { Shell } from './script.js';

export const completion: Verb = {
  name: 'completion',
  attach(parent, runner) {
    return verb<{ args: [Shell] }>({
      name: 'completion',
      description:
        'print a shell completion script: commands, subcommands, flags, their values and profile names',
      args: [
        { name: '<shell>', description: 'bash, zsh or fish', choices: ['bash', 'zsh', 'fish'] },
      ],
      examples: [
        'eval "$(astrosell completion bash)"          # in ~/.bashrc',
        'eval "$(astrosell completion zsh)"           # in ~/.zshrc',
        'astrosell completion fish > ~/.config/fish/completions/astrosell.fish',
      ],
      // The script describes the whole tree: the root this verb hangs on.
      load: async () => {
        const { run } = await import('./script.js');
        return { run: (ctx, options) => run(ctx, options, parent) };
      },
    }).attach(parent, runner);
  },
};

/**
 * `astrosell __names product|warehouse`, hidden: the ids and names the
 * completion scripts offer (names.ts), one `value<TAB>description` a line.
 */
export const names: Verb = {
  name: '__names',
  attach(parent, runner) {
    return parent
      .command('__names', { hidden: true })
      .argument('<noun>')
      .action(async (_noun: string, _opts: unknown, self: Command) => {
        const { run } = await import('./names.js');
        runner.setExitCode(await run(runner.getContext(self), { args: [self.processedArgs[0]] }));
      });
  },
};
