// src/index.ts, the package as a user gets it: a project of its own with astrosell in
// node_modules, importing 'astrosell' and 'astrosell/sandbox' through the
// exports map, running README's script, and type-checking it against the
// emitted declarations.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './helpers/cli.js';

const run = promisify(execFile);
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const script = /## As a library[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

let project: ReturnType<typeof tempDir>;
beforeAll(() => {
  project = tempDir();
  mkdirSync(join(project.dir, 'node_modules'));
  symlinkSync(ROOT, join(project.dir, 'node_modules', 'astrosell'), 'dir');
  writeFileSync(join(project.dir, 'package.json'), '{"type":"module","private":true}');
});
afterAll(() => project.cleanup());

describe('astrosell as a library', () => {
  it("README's script is about ten lines and runs against the sandbox", async () => {
    expect(script.trim().split('\n').filter(Boolean).length).toBeLessThanOrEqual(11);
    writeFileSync(join(project.dir, 'readme.mjs'), script);
    const { stdout, stderr } = await run(process.execPath, ['readme.mjs'], {
      cwd: project.dir,
      timeout: 20_000,
    });
    expect(stderr).toBe('');
    // One line a pool of the demo shop.
    expect(stdout).toMatch(/^(.+: \d+ in stock\n){3}$/);
  });

  it('the same errors as the CLI, and the options are checked', async () => {
    writeFileSync(
      join(project.dir, 'errors.mjs'),
      `import { AstroSell, AuthError, EXIT_CODES, UsageError } from 'astrosell';
import { startSandbox } from 'astrosell/sandbox';
const sandbox = await startSandbox({ port: 0, empty: true });
const wrong = new AstroSell({ key: 'nsk_wrong', baseUrl: sandbox.url, retries: 0 });
const e = await wrong.products.list().catch((x) => x);
console.log(e instanceof AuthError, e.kind, EXIT_CODES[e.kind]);
try { new AstroSell({ key: 'k', retries: 11 }); } catch (x) { console.log(x instanceof UsageError); }
const plain = new AstroSell({ key: 'nsk_x', baseUrl: 'http://example.com/api/v1' });
console.log((await plain.coupons.list().catch((x) => x)) instanceof UsageError);
await Promise.all([wrong.close(), plain.close(), sandbox.close()]);
`,
    );
    const { stdout } = await run(process.execPath, ['errors.mjs'], { cwd: project.dir });
    expect(stdout).toBe('true auth 3\ntrue\ntrue\n');
  });

  it('type-checks against the declarations in dist/types', async () => {
    writeFileSync(join(project.dir, 'readme.mts'), script);
    writeFileSync(
      join(project.dir, 'typed.mts'),
      `import { AstroSell, type Product } from 'astrosell';
const shop = new AstroSell({ key: 'nsk_x' });
const products: Product[] = (await shop.products.list()).data;
const raw: string = (await shop.products.list()).raw;
// @ts-expect-error: a warehouse's count is a number, not a string
const wrong: string = (await shop.warehouses.get('x')).data.count;
console.log(products, raw, wrong);
`,
    );
    writeFileSync(
      join(project.dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
        },
        files: ['readme.mts', 'typed.mts'],
      }),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project.dir }).catch(
      (e: { stdout: string }) => e,
    );
    expect(r.stdout).toBe('');
  }, 60_000);
});
