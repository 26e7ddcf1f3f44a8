// `astrosell keys …`: stored API keys (profiles). The verbs, their flags and
// help; each verb's code is in the file beside this one, loaded when it runs.
import { type Noun, verb } from '../define.js';
import { recordFlags } from '../record-flags.js';

export const keys: Noun = {
  name: 'keys',
  description: 'manage stored API keys (profiles)',
  examples: ['echo "$KEY" | astrosell keys add ci', 'astrosell keys status'],
  verbs: [
    verb({
      name: 'add',
      description:
        'check a key with one read and store it as a profile: hidden prompt on a terminal, else read from stdin',
      args: [{ name: '<name>', description: 'profile name' }],
      flags: {
        baseUrl: { value: 'url', description: 'base URL for this profile' },
        default: { description: 'make it the default profile' },
        verify: {
          negate: true,
          description: 'store the key without checking it with the service (offline)',
        },
      },
      examples: [
        'astrosell keys add live',
        'echo "$ASTROSELL_KEY" | astrosell keys add ci --base-url http://127.0.0.1:4010/api/v1',
        'echo "$ASTROSELL_KEY" | astrosell keys add later --no-verify',
      ],
      load: () => import('./add.js'),
    }),
    verb({
      name: 'list',
      description: 'list profiles (keys masked)',
      flags: recordFlags('name,baseUrl'),
      examples: ['astrosell keys list', 'astrosell keys list --fields name,key --format csv'],
      load: () => import('./list.js'),
    }),
    verb({
      name: 'use',
      description: 'make a profile the default',
      args: [{ name: '<name>', description: 'profile name' }],
      examples: ['astrosell keys use live'],
      load: () => import('./use.js'),
    }),
    verb({
      name: 'remove',
      description: 'delete a profile',
      args: [{ name: '<name>', description: 'profile name' }],
      examples: ['astrosell keys remove old'],
      load: () => import('./remove.js'),
    }),
    verb({
      name: 'status',
      description: 'show the active profile, where each setting came from, and verify the key',
      flags: recordFlags('profile,verified'),
      examples: [
        'astrosell keys status',
        'ASTROSELL_PROFILE=ci astrosell keys status --json',
        'astrosell keys status --fields profile,keySource,verified --format csv',
      ],
      load: () => import('./status.js'),
    }),
  ],
};
