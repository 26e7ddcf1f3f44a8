// Command tables built when their module loads — the HTTP methods `api`
// accepts, the flags completion fills with profiles or files, the profile
// name pattern — read through a fresh copy of the module inside the test
// (test/helpers/fresh.ts), so mutation testing sees a mutant in them.
import { describe, expect, it } from 'vitest';
import type * as Request from '../../src/commands/api/request.js';
import type * as Script from '../../src/commands/completion/script.js';
import type * as Add from '../../src/commands/keys/add.js';
import { UsageError } from '../../src/errors.js';
import { askingContext } from '../helpers/asked.js';
import { closeAll, fakeService, sendJson, serviceEnv } from '../helpers/fake-service.js';
import { freshImport } from '../helpers/fresh.js';
import { tree } from './completion/tree.js';

const fresh = <T>(path: string) => freshImport<T>(import.meta.url, path);

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('not refused');
}

describe('api: the methods accepted', () => {
  it('takes the seven methods in any case, and refuses others before sending', async () => {
    const { run } = await fresh<typeof Request>('../../src/commands/api/request.ts');
    const svc = await fakeService((_req, res) => sendJson(res, 200, {}));
    try {
      const env = serviceEnv(svc);
      for (const m of ['get', 'HEAD', 'post', 'PUT', 'patch', 'DELETE', 'options']) {
        const { ctx } = askingContext(env, []);
        expect(await run(ctx, { args: [m, '/products'] }), m).toBe(0);
      }
      expect(svc.requests.map((r) => r.method)).toEqual([
        'GET',
        'HEAD',
        'POST',
        'PUT',
        'PATCH',
        'DELETE',
        'OPTIONS',
      ]);
      const { ctx } = askingContext(env, []);
      expect(await refusal(run(ctx, { args: ['FETCH', '/products'] }))).toBe(
        'unknown HTTP method "FETCH"',
      );
      expect(svc.requests).toHaveLength(7);
    } finally {
      await closeAll();
    }
  });
});

describe('completion: flags that take profiles or files', () => {
  it('offers profile names for --profile and files for the file flags', async () => {
    const { script } = await fresh<typeof Script>('../../src/commands/completion/script.ts');
    const bash = script(tree(), 'bash');
    expect(bash).toContain(
      '    --profile)\n      COMPREPLY=($(compgen -W "$(_astrosell_profiles)" -- "$cur")); return ;;\n',
    );
    for (const flag of ['--input', '--stock-file', '--unsent-file', '--data']) {
      expect(bash).toContain(
        `    ${flag})\n      COMPREPLY=($(compgen -f -- "$cur")); return ;;\n`,
      );
    }
  });
});

describe('keys add: profile names', () => {
  it('takes 1 to 64 letters, digits, ".", "_" and "-", starting with a letter or digit', async () => {
    const { run } = await fresh<typeof Add>('../../src/commands/keys/add.ts');
    const bad = (name: string) =>
      `invalid profile name "${name}": use letters, digits, '.', '_' or '-'`;
    for (const name of ['-live', '.x', 'a b', `a${'b'.repeat(64)}`, 'x/y', 'live!']) {
      const { ctx } = askingContext({}, []);
      expect(await refusal(run(ctx, { args: [name] }))).toBe(bad(name));
    }
  });
});
