// The shape of src/ that docs/architecture.md describes, checked: the edges
// of the process (process.*, the clock, timers) are reached only where they
// are handed to the context, and no two modules import each other, even
// for types only.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

const SRC = join(ROOT, 'src');
const files = (readdirSync(SRC, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => f.split('\\').join('/'));
const code = (f: string) =>
  readFileSync(join(SRC, f), 'utf8').replace(/^\s*(\/\/|\*|\/\*).*$/gm, '');

// Where the process's edges may be touched, and why.
const EDGE_OWNERS: Record<string, string> = {
  'cli.ts': 'hands the real streams, env and signals to main()',
  'clock.ts': 'the system clock behind the Clock interface',
  'api/client.ts':
    "the runtime's version in the user agent; the whole-request timer (a real deadline, whatever clock retries wait on)",
  'config/store.ts': "the OS's config folder; conf's signal hooks",
  'fs/file-lock.ts':
    'a lock holds its pid, asks the OS whether the pid in a lock still runs, and waits a bounded time for a live one',
  'restock/journal.ts': "the journal's lock is taken in this process's name",
  'restock/unsent.ts': 'a list deleted mid-run is saved again under a name with the pid and time',
  'restock/input.ts': 'the stdin spool is named after its pid; one whose pid is gone is stale',
  'history/db.ts': 'a history file made private is checked on POSIX systems only',
  'restock/start.ts': 'the unsent and uncertain files are named after the pid, like the spool',
};
// The sandbox is a server of its own, with its own clock and timers.
const STANDALONE = (f: string) => f.startsWith('sandbox/');

describe('layers', () => {
  it('process, Date.now and timers only where the context gets them', () => {
    const edge = /\bprocess\.|\bDate\.now\(|\bset(Timeout|Interval)\(|\bperformance\.now\(/;
    const offenders = files.filter(
      (f) => !(f in EDGE_OWNERS) && !STANDALONE(f) && edge.test(code(f)),
    );
    expect(offenders).toEqual([]);
  });

  it('the restock engine has one door, and render and restock do not import each other', () => {
    const imports = (f: string) =>
      [...code(f).matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)].map((m) =>
        relative(SRC, resolve(SRC, dirname(f), m[1]!.replace(/\.js$/, '.ts'))),
      );
    const through = files.flatMap((f) =>
      f.startsWith('restock/')
        ? []
        : imports(f)
            .filter((d) => d.startsWith('restock/') && d !== 'restock/index.ts')
            .map((d) => `${f} → ${d}`),
    );
    expect(through).toEqual([]);
    const crossing = files.flatMap((f) => {
      const other = f.startsWith('restock/')
        ? 'render/'
        : f.startsWith('render/')
          ? 'restock/'
          : '';
      return other
        ? imports(f)
            .filter((d) => d.startsWith(other))
            .map((d) => `${f} → ${d}`)
        : [];
    });
    expect(crossing).toEqual([]);
  });

  it('no import cycles', () => {
    const graph = new Map<string, string[]>();
    for (const f of files) {
      const deps = [...code(f).matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)].map((m) =>
        relative(SRC, resolve(SRC, dirname(f), m[1]!.replace(/\.js$/, '.ts'))),
      );
      graph.set(f, deps);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        const loop = path.slice(path.indexOf(f));
        cycles.push([...loop, f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const d of graph.get(f) ?? []) visit(d, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
