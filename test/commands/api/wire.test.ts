// `astrosell api` against a service of the test's own that echoes what it
// got: the method, path, query and body sent exactly; output byte for byte;
// the status boundary for the exit code; every usage error's exact line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseField } from '../../../src/commands/api/request.js';
import { type MainOptions, runMain, tempDir } from '../../helpers/cli.js';
import { closeAll, type FakeService, fakeService } from '../../helpers/fake-service.js';

let svc: FakeService;
const bodies: string[] = [];
const dir = tempDir();

beforeAll(async () => {
  svc = await fakeService((req, res, body) => {
    bodies.push(body);
    const url = new URL(req.url ?? '/', 'http://x');
    const status = Number(url.searchParams.get('status') ?? 200);
    if (status === 204 || req.method === 'HEAD') {
      res.writeHead(status === 204 ? 204 : 200);
      res.end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    // Not re-serialised: the CLI must print these bytes as they are.
    res.end(`{ "method": "${req.method}", "url": "${req.url}", "error": "said ${status}" }`);
  });
});
afterAll(async () => {
  await closeAll();
  dir.cleanup();
});

const env = () => ({
  ASTROSELL_BASE_URL: svc.url,
  ASTROSELL_API_KEY: 'nsk_test_0123456789abcdef',
  ASTROSELL_CONFIG_DIR: dir.dir,
});
const api = (args: string[], opts: MainOptions = {}) =>
  runMain(['api', ...args], { env: env(), ...opts });
const echo = (method: string, url: string, status = 200) =>
  `{ "method": "${method}", "url": "${url}", "error": "said ${status}" }\n`;
const last = (from: number) => {
  const r = svc.requests.slice(from);
  return r.map((x, i) => ({ method: x.method, url: x.url, body: bodies[from + i] }));
};

describe('parseField boundaries', () => {
  it('-F converts only exact true/false/null and plain decimals', () => {
    expect(parseField('a=-1', true)).toEqual(['a', -1]);
    expect(parseField('a=0', true)).toEqual(['a', 0]);
    expect(parseField('a=1.', true)).toEqual(['a', '1.']);
    expect(parseField('a=.5', true)).toEqual(['a', '.5']);
    expect(parseField('a=1e3', true)).toEqual(['a', '1e3']);
    expect(parseField('a= 1', true)).toEqual(['a', ' 1']);
    expect(parseField('a=1 ', true)).toEqual(['a', '1 ']);
    expect(parseField('a=TRUE', true)).toEqual(['a', 'TRUE']);
    expect(parseField('a=nulls', true)).toEqual(['a', 'nulls']);
    expect(parseField('a=xtrue', true)).toEqual(['a', 'xtrue']);
    expect(parseField('a=true', false)).toEqual(['a', 'true']);
    expect(parseField('a=null', false)).toEqual(['a', 'null']);
    expect(parseField('k==', true)).toEqual(['k', '=']);
  });
  it('the error names the field', () => {
    expect(() => parseField('=x', true)).toThrow('invalid field "=x": expected key=value');
    expect(() => parseField('x', false)).toThrow('invalid field "x": expected key=value');
  });
});

describe('astrosell api, exactly', () => {
  it('GET: the body as received, a newline added; the method in any case', async () => {
    const n = svc.requests.length;
    expect(await api(['get', '/things'])).toEqual({
      code: 0,
      stdout: echo('GET', '/api/v1/things'),
      stderr: '',
    });
    expect(last(n)).toEqual([{ method: 'GET', url: '/api/v1/things', body: '' }]);
  });

  it('GET and HEAD: fields become the query, as strings, -f before -F', async () => {
    const n = svc.requests.length;
    const r = await api(['GET', '/q', '-F', 'n=5', '-f', 's=a b', '-F', 'b=true']);
    expect(r.code).toBe(0);
    expect(last(n)).toEqual([{ method: 'GET', url: '/api/v1/q?s=a+b&n=5&b=true', body: '' }]);
    const h = await api(['HEAD', '/q', '-f', 'x=1']);
    expect(h).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(last(n + 1)).toEqual([{ method: 'HEAD', url: '/api/v1/q?x=1', body: '' }]);
  });

  it('POST, PUT, PATCH, DELETE, OPTIONS: fields become a JSON body', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const n = svc.requests.length;
      const r = await api([
        method.toLowerCase(),
        '/w',
        '-f',
        'name=7',
        '-F',
        'n=7',
        '-F',
        'x=null',
      ]);
      expect(r).toEqual({ code: 0, stdout: echo(method, '/api/v1/w'), stderr: '' });
      expect(last(n)).toEqual([{ method, url: '/api/v1/w', body: '{"name":"7","n":7,"x":null}' }]);
    }
  });

  it('no fields, no input: no body', async () => {
    const n = svc.requests.length;
    await api(['POST', '/w']);
    expect(last(n)).toEqual([{ method: 'POST', url: '/api/v1/w', body: '' }]);
  });

  it('--input FILE and --input -: that body, unchanged', async () => {
    const file = join(dir.dir, 'body.json');
    writeFileSync(file, '{ "a" : 1 }\n');
    let n = svc.requests.length;
    expect((await api(['POST', '/w', '--input', file])).code).toBe(0);
    expect(last(n)).toEqual([{ method: 'POST', url: '/api/v1/w', body: '{ "a" : 1 }\n' }]);
    n = svc.requests.length;
    // Piped stdin: no note about waiting for it.
    expect(await api(['PUT', '/w', '--input', '-'], { input: '[1, 2]' })).toEqual({
      code: 0,
      stdout: echo('PUT', '/api/v1/w'),
      stderr: '',
    });
    expect(last(n)).toEqual([{ method: 'PUT', url: '/api/v1/w', body: '[1, 2]' }]);
  });

  it('a 204 with no body: nothing printed, exit 0', async () => {
    expect(await api(['DELETE', '/w?status=204'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('a 2xx is success; 400 and above: the body still printed, then the error and its exit code', async () => {
    expect(await api(['GET', '/s?status=299'])).toEqual({
      code: 0,
      stdout: echo('GET', '/api/v1/s?status=299', 299),
      stderr: '',
    });
    expect(await api(['GET', '/s?status=400'])).toEqual({
      code: 2,
      stdout: echo('GET', '/api/v1/s?status=400', 400),
      stderr: 'error: said 400\n',
    });
    expect(await api(['GET', '/s?status=404'])).toEqual({
      code: 4,
      stdout: echo('GET', '/api/v1/s?status=404', 404),
      stderr: 'error: said 404\n',
    });
    const auth = await api(['GET', '/s?status=403']);
    expect(auth.code).toBe(3);
    expect(auth.stdout).toBe(echo('GET', '/api/v1/s?status=403', 403));
    expect(auth.stderr.split('\n')[0]).toBe('error: said 403');
  });
});

describe('astrosell api usage errors: one exact line, exit 2, nothing sent', () => {
  const notJson = join(dir.dir, 'bad.json');
  writeFileSync(notJson, '{nope');
  const cases: Array<[string[], string, string?]> = [
    [['TRACE', '/x'], 'unknown HTTP method "TRACE"'],
    [['fetch', '/x'], 'unknown HTTP method "fetch"'],
    [
      ['GET', 'HTTP://127.0.0.1/x'],
      'pass a path under the base URL (e.g. /products), not a full URL',
    ],
    [['GET', 'ftp://h/x'], 'pass a path under the base URL (e.g. /products), not a full URL'],
    [['POST', '/x', '--input', notJson, '-F', 'a=1'], 'use either --input or fields, not both'],
    [['POST', '/x', '--input', notJson], `${notJson} is not valid JSON`],
    [['POST', '/x', '--input', '-'], 'standard input is not valid JSON', 'nope'],
    [
      ['POST', '/x', '--input', join(dir.dir, 'none.json')],
      `cannot read ${join(dir.dir, 'none.json')}: ENOENT`,
    ],
    [['POST', '/x', '--input', dir.dir], `cannot read ${dir.dir}: EISDIR`],
    [['POST', '/x', '-f', 'oops'], 'invalid field "oops": expected key=value'],
  ];
  for (const [args, message, input] of cases) {
    it(`${args.join(' ')}`, async () => {
      const n = svc.requests.length;
      expect(await api(args, { input: input ?? '' })).toEqual({
        code: 2,
        stdout: '',
        stderr: `error: ${message}\n`,
      });
      expect(svc.requests.length).toBe(n);
    });
  }

  it('a path that only contains "://" later is a path', async () => {
    const n = svc.requests.length;
    expect((await api(['GET', '/x?u=http://y'])).code).toBe(0);
    expect(last(n)[0]?.url).toBe('/api/v1/x?u=http://y');
  });
});
