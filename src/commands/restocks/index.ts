// `astrosell restocks …`: interrupted restocks (their journals in the config
// folder), to see them and to give one up. Each verb's code is in the file
// beside this one, loaded when it runs.
import { type Noun, verb } from '../define.js';
import { recordFlags } from '../record-flags.js';

export const restocks: Noun = {
  name: 'restocks',
  description: 'interrupted restocks',
  examples: ['astrosell restocks list', 'astrosell restocks abandon 3f9c0e1d2b4a5c6d7e8f9a0b'],
  verbs: [
    verb({
      name: 'list',
      description:
        'list interrupted restocks: target, input, lines settled, and the files listing serials not stored',
      flags: recordFlags('key,target.id,unsent.serials'),
      examples: [
        'astrosell restocks list',
        'astrosell restocks list --json | jq -r ".[].key"',
        'astrosell restocks list --fields key,target.id,unsent.path --format csv',
      ],
      load: () => import('./list.js'),
    }),
    verb({
      name: 'abandon',
      description:
        'give up an interrupted restock: list every serial it did not store (not yet sent: the unsent file; in flight: the uncertain file), then remove its journal and saved standard input',
      args: [{ name: '<key>', description: 'the restock, as `astrosell restocks list` shows it' }],
      examples: [
        'astrosell restocks abandon 3f9c0e1d2b4a5c6d7e8f9a0b',
        'astrosell restocks abandon 3f9c0e1d2b4a5c6d7e8f9a0b --json',
      ],
      load: () => import('./abandon.js'),
    }),
  ],
};
