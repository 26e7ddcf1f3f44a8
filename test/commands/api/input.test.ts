// `astrosell api --input`: a body from a file or standard input, sent as it
// is; what is said when it cannot be read or is not JSON; and typed fields'
// decimals.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseField } from '../../../src/commands/api/request.js';
import { runMain, tempDir } from '../../helpers/cli.js';
import { closeAll, fakeService, sendJson, serviceEnv } from '../../helpers/fake-service.js';

afterEach(closeAll);
let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.cleanup());

async function echo() {
  const bodies: string[] = [];
  const svc = await fakeService((_req, res, body) => {
    bodies.push(body);
    sendJson(res, 200, { ok: true });
  });
  return { env: { ...serviceEnv(svc), ASTROSELL_CONFIG_DIR: join(dir.dir, 'cfg') }, bodies };
}

describe('api --input', () => {
  it('a file, read as UTF-8 and sent as it is', async () => {
    const s = await echo();
    const body = '{ "title": "Café – ☕", "n": 1 }';
    const f = join(dir.dir, 'body.json');
    writeFileSync(f, body);
    const r = await runMain(['api', 'POST', '/things', '--input', f], { env: s.env });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(s.bodies).toEqual([body]);
  });

  it('standard input: a body of some size; the note only when stdin is a terminal', async () => {
    const s = await echo();
    const body = JSON.stringify({ items: 'x'.repeat(5000) });
    const piped = await runMain(['api', 'POST', '/things', '--input', '-'], {
      env: s.env,
      input: body,
    });
    expect([piped.code, piped.stderr]).toEqual([0, '']);
    const typed = await runMain(['api', 'POST', '/things', '--input', '-'], {
      env: s.env,
      input: '{}',
      tty: { stdin: true },
    });
    expect([typed.code, typed.stderr]).toEqual([
      0,
      'reading the request body from standard input (end with Ctrl-D)…\n',
    ]);
    expect(s.bodies).toEqual([body, '{}']);
  });

  it('a file that cannot be read, or is not JSON: exit 2 naming it', async () => {
    const s = await echo();
    const missing = join(dir.dir, 'missing.json');
    const r = await runMain(['api', 'POST', '/things', '--input', missing], { env: s.env });
    expect([r.code, r.stderr]).toEqual([2, `error: cannot read ${missing}: ENOENT\n`]);
    const bad = join(dir.dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    const j = await runMain(['api', 'POST', '/things', '--input', bad], { env: s.env });
    expect([j.code, j.stderr]).toEqual([2, `error: ${bad} is not valid JSON\n`]);
    const i = await runMain(['api', 'POST', '/things', '--input', '-'], {
      env: s.env,
      input: 'nope',
    });
    expect([i.code, i.stderr]).toEqual([2, 'error: standard input is not valid JSON\n']);
    expect(s.bodies).toEqual([]);
  });
});

describe('typed fields', () => {
  it('decimals of any length are numbers', () => {
    expect(parseField('price=12.345', true)).toEqual(['price', 12.345]);
    expect(parseField('d=-0.25', true)).toEqual(['d', -0.25]);
    expect(parseField('v=1.', true)).toEqual(['v', '1.']);
  });
});
