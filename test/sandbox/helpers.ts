// Starts sandboxes on free loopback ports and talks to them over real HTTP.
import { afterEach, expect } from 'vitest';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';

export const KEY = 'nsk_test_0123456789abcdef0123456789abcdef';

export interface ApiResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers field by field
  body: any;
}

export interface Harness {
  sb: Sandbox;
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse>;
}

const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** A sandbox closed after the current test. */
export async function sandbox(options: SandboxOptions = {}): Promise<Harness> {
  const sb = await startSandbox({ port: 0, host: '127.0.0.1', keys: [KEY], ...options });
  open.push(sb);
  return {
    sb,
    async api(method, path, body, headers = {}) {
      const res = await fetch(sb.url + path, {
        method,
        headers: {
          authorization: `Bearer ${KEY}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body:
          body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      return { status: res.status, headers: res.headers, body: JSON.parse(text) };
    },
  };
}

export const ID = /^[0-9a-f]{24}$/;
