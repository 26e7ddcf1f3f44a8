// `astrosell api METHOD PATH`: an authenticated request to any path, like
// `gh api`. Fields go into a JSON body (or the query string for GET/HEAD);
// the response body goes to stdout as received; the exit code follows the status.
import { readFile } from 'node:fs/promises';
import { errorForStatus } from '../../api/client.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { writeJsonBody } from '../../render/output.js';
import { readAll } from '../keys/read-key.js';

interface Options {
  args: [string, string];
  rawField?: string[];
  field?: string[];
  input?: string;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function parseField(spec: string, typed: boolean): [string, unknown] {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new UsageError(`invalid field "${spec}": expected key=value`);
  const key = spec.slice(0, eq);
  const raw = spec.slice(eq + 1);
  if (!typed) return [key, raw];
  if (raw === 'true') return [key, true];
  if (raw === 'false') return [key, false];
  if (raw === 'null') return [key, null];
  if (/^-?\d+(\.\d+)?$/.test(raw)) return [key, Number(raw)];
  return [key, raw];
}

export async function run(ctx: Context, options: Options): Promise<number> {
  const [methodArg, path] = options.args;
  const method = methodArg.toUpperCase();
  if (!METHODS.has(method)) throw new UsageError(`unknown HTTP method "${methodArg}"`);
  if (/^[a-z]+:\/\//i.test(path)) {
    throw new UsageError('pass a path under the base URL (e.g. /products), not a full URL');
  }
  const fields = [
    ...(options.rawField ?? []).map((f) => parseField(f, false)),
    ...(options.field ?? []).map((f) => parseField(f, true)),
  ];
  if (options.input && fields.length)
    throw new UsageError('use either --input or fields, not both');
  const bodyless = method === 'GET' || method === 'HEAD';
  let rawBody: string | undefined;
  let query: Record<string, string> | undefined;
  if (options.input) {
    if (options.input === '-' && ctx.io.stdinIsTTY) {
      // Otherwise it just sits there, waiting for a body nobody knows it wants.
      ctx.io.stderr.write('reading the request body from standard input (end with Ctrl-D)…\n');
    }
    try {
      rawBody =
        options.input === '-'
          ? await readAll(ctx.io.stdin, 512 * 1024 * 1024, 'a request body')
          : await readFile(options.input, 'utf8');
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(
        `cannot read ${options.input}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    try {
      JSON.parse(rawBody);
    } catch {
      throw new UsageError(
        `${options.input === '-' ? 'standard input' : options.input} is not valid JSON`,
      );
    }
  } else if (fields.length && bodyless) {
    query = Object.fromEntries(fields.map(([k, v]) => [k, String(v)]));
  } else if (fields.length) {
    rawBody = JSON.stringify(Object.fromEntries(fields));
  }
  const api = await ctx.api();
  const res = await api.request({
    method,
    path,
    query,
    rawBody,
    allowErrorStatus: true,
  });
  if (res.text) writeJsonBody(ctx.io, res.text);
  if (res.status < 400) return 0;
  throw errorForStatus(res.status, res.text, res, ctx.clock.now());
}
