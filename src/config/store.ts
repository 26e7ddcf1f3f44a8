// Profiles on disk, through `conf`. The file holds API keys, so it is kept
// 0600 in a 0700 folder; a file others can read is tightened and reported.
// A corrupt file is an error naming it: it is never wiped silently.
//
// Every change is a read-modify-write under `config.json.lock` (the
// project's one lock, src/fs/file-lock.ts): the file is read again under the
// lock and the change applied to what it holds now, so two commands writing
// at once (parallel CI steps) both land. A lock whose process died is
// cleared; a live holder is waited for, a few seconds at most.
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  statSync,
} from 'node:fs';
import { constants, homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../errors.js';
import { FileLock } from '../fs/file-lock.js';

export interface Profile {
  key?: string;
  baseUrl?: string;
}

interface StoreData {
  defaultProfile?: string;
  profiles?: Record<string, Profile>;
}

export interface ProfileStore {
  readonly path: string;
  readonly dir: string;
  /** Warnings raised while opening (e.g. permissions fixed). */
  readonly warnings: string[];
  list(): Array<{ name: string; profile: Profile; isDefault: boolean }>;
  get(name: string): Profile | undefined;
  defaultName(): string | undefined;
  /**
   * Adds or replaces a profile: given whole, or made from the profile as the
   * file holds it at the moment of writing. It becomes the default when
   * asked, or when there is none. Says whether it replaced one.
   */
  set(
    name: string,
    profile: Profile | ((previous: Profile | undefined) => Profile),
    options?: { makeDefault?: boolean },
  ): { replaced: boolean };
  remove(name: string): boolean;
  /** False when there is no such profile (any more). */
  setDefault(name: string): boolean;
}

/** How long a write waits for another command's write to finish. */
export const CONFIG_LOCK_WAIT_MS = 10_000;

/** The lock every write of the config file in `dir` takes. */
export function configLock(dir: string, waitMs = CONFIG_LOCK_WAIT_MS): FileLock {
  return new FileLock(join(dir, 'config.json.lock'), {
    fileMode: FILE_MODE,
    dirMode: DIR_MODE,
    waitMs,
    busy: ({ pid }, path) =>
      new CliError(
        `the config file is locked by another astrosell command (pid ${pid}) for more than ${waitMs / 1000}s; nothing was changed`,
        'failure',
        { hint: `try again when it has finished; if pid ${pid} is not astrosell, remove ${path}` },
      ),
  });
}

/** The platform's config folder, as conf/env-paths would choose it, without loading them. */
export function defaultConfigDir(env: NodeJS.ProcessEnv, platform = process.platform): string {
  const home = homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'astrosell');
  if (platform === 'win32') {
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'astrosell', 'Config');
  }
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'astrosell');
}

export function configDirFrom(env: NodeJS.ProcessEnv): { dir: string; source: 'env' | 'default' } {
  const fromEnv = env.ASTROSELL_CONFIG_DIR;
  if (fromEnv) return { dir: fromEnv, source: 'env' };
  return { dir: defaultConfigDir(env), source: 'default' };
}

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** Tighten the folder and file if others can read them. Returns warnings to show. */
export function securePermissions(dir: string, file: string): string[] {
  const warnings: string[] = [];
  if (process.platform === 'win32') return warnings;
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  const dirMode = statSync(dir).mode & 0o777;
  if (dirMode & 0o077) {
    chmodSync(dir, DIR_MODE);
    warnings.push(
      `config folder ${dir} was accessible by others (mode ${dirMode.toString(8)}); changed to 700`,
    );
  }
  try {
    const fileMode = statSync(file).mode & 0o777;
    if (fileMode & 0o077) {
      chmodSync(file, FILE_MODE);
      warnings.push(
        `config file ${file} was readable by others (mode ${fileMode.toString(8)}); changed to 600 — consider rotating the keys it holds`,
      );
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return warnings;
}

/**
 * conf writes through atomically, whose when-exit hook catches the first
 * SIGINT/SIGTERM and raises it again: src/cli.ts would count that as a second
 * Ctrl-C and exit at once, without the graceful stop (a restock's summary and
 * resume hint, the `interrupted` line). Its exit hook (temp-file clean-up)
 * stays; only the signal listeners added while loading conf are dropped.
 */
async function loadConf(): Promise<typeof import('conf').default> {
  const signals = Object.keys(constants.signals) as NodeJS.Signals[];
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: Conf } = await import('conf');
  for (const s of signals) {
    for (const l of process.listeners(s)) {
      if (!before.get(s)!.has(l)) process.removeListener(s, l);
    }
  }
  return Conf;
}

/**
 * A config file that is a symbolic link is refused: conf replaces the file
 * on every save (write, then rename), which would silently turn the link
 * into a plain file, and tightening its mode would change the target's.
 * (A config *folder* that is a link is followed: that is where the file is.)
 */
function refuseSymlink(path: string): void {
  let target: string;
  try {
    if (!lstatSync(path).isSymbolicLink()) return;
    target = readlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  throw new CliError(
    `config file ${path} is a symbolic link (to ${target}); astrosell does not follow it, so keys are never written somewhere unexpected`,
    'failure',
    {
      hint: `replace the link with the file itself, or set ASTROSELL_CONFIG_DIR to the folder that holds it`,
    },
  );
}

/** What is wrong with the file's shape, if anything (a hand edit, another tool). */
function shapeProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return `holds ${data === null ? 'null' : Array.isArray(data) ? 'an array' : `a ${typeof data}`}, not an object`;
  }
  const d = data as Record<string, unknown>;
  if (
    d.profiles !== undefined &&
    (typeof d.profiles !== 'object' || d.profiles === null || Array.isArray(d.profiles))
  ) {
    return `"profiles" is ${d.profiles === null ? 'null' : Array.isArray(d.profiles) ? 'an array' : `a ${typeof d.profiles}`}, not an object of named profiles`;
  }
  if (d.defaultProfile !== undefined && typeof d.defaultProfile !== 'string') {
    return '"defaultProfile" is not a profile name (a string)';
  }
  return undefined;
}

export async function openProfileStore(
  dir: string,
  options: { lockWaitMs?: number } = {},
): Promise<ProfileStore> {
  const path = join(dir, 'config.json');
  let warnings: string[];
  try {
    refuseSymlink(path);
    warnings = securePermissions(dir, path);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot use config folder ${dir}: ${(error as Error).message}`, 'failure', {
      cause: error,
    });
  }
  const Conf = await loadConf();
  let conf: InstanceType<typeof Conf<StoreData>>;
  try {
    conf = new Conf<StoreData>({
      cwd: dir,
      configName: 'config',
      projectName: 'astrosell',
      configFileMode: FILE_MODE,
      accessPropertiesByDotNotation: false,
      clearInvalidConfig: false,
    });
  } catch (error) {
    throw notJson(path, error);
  }
  let data = readChecked(conf, path);
  const lock = configLock(dir, options.lockWaitMs);
  const profiles = (): Record<string, Profile> => data.profiles ?? {};

  /** Reads the file again under the lock, applies `change` to what it holds, writes it. */
  const write = <T>(change: (fresh: StoreData) => { next: StoreData; result: T }): T => {
    lock.lock();
    try {
      refuseSymlink(path);
      const fresh = readChecked(conf, path);
      const { next, result } = change(fresh);
      if (next !== fresh) conf.store = next;
      data = next;
      return result;
    } finally {
      lock.unlock();
    }
  };

  return {
    path,
    dir,
    warnings,
    list() {
      const def = data.defaultProfile;
      return Object.entries(profiles())
        .map(([name, profile]) => ({ name, profile, isDefault: name === def }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    get(name) {
      return Object.hasOwn(profiles(), name) ? profiles()[name] : undefined;
    },
    defaultName() {
      return data.defaultProfile;
    },
    set(name, profile, { makeDefault = false } = {}) {
      return write((fresh) => {
        const all = fresh.profiles ?? {};
        const previous = Object.hasOwn(all, name) ? all[name] : undefined;
        const made = typeof profile === 'function' ? profile(previous) : profile;
        const next: StoreData = { ...fresh, profiles: { ...all, [name]: made } };
        const def = next.defaultProfile;
        if (makeDefault || !def || !Object.hasOwn(next.profiles!, def)) {
          next.defaultProfile = name;
        }
        return { next, result: { replaced: previous !== undefined } };
      });
    },
    remove(name) {
      return write((fresh) => {
        const all = fresh.profiles ?? {};
        if (!Object.hasOwn(all, name)) return { next: fresh, result: false };
        const { [name]: _gone, ...rest } = all;
        const next: StoreData = { ...fresh, profiles: rest };
        // Never promote another profile on our own: it may be another shop's
        // key, and the next command would quietly act on that shop.
        if (next.defaultProfile === name) delete next.defaultProfile;
        return { next, result: true };
      });
    },
    setDefault(name) {
      return write((fresh) => {
        if (!Object.hasOwn(fresh.profiles ?? {}, name)) return { next: fresh, result: false };
        return { next: { ...fresh, defaultProfile: name }, result: true };
      });
    },
  };
}

function notJson(path: string, error: unknown): CliError {
  return new CliError(
    `config file ${path} is not valid JSON (${(error as Error).message.split('\n')[0]}); fix or move it away — it was left untouched`,
    'failure',
    { cause: error },
  );
}

/** The file's content, checked: JSON, the right shape, profiles of strings. */
function readChecked(conf: { readonly store: StoreData }, path: string): StoreData {
  let data: StoreData;
  try {
    data = conf.store;
  } catch (error) {
    throw notJson(path, error);
  }
  // conf turns a file holding `null` or `[]` into an empty store: look at the file itself.
  let onDisk: unknown = data;
  try {
    if (existsSync(path)) onDisk = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // conf read it, so it is JSON in some form conf accepts: judge what it made of it.
  }
  const problem = shapeProblem(onDisk);
  if (problem) {
    throw new CliError(
      `config file ${path} ${problem}; fix or move it away — it was left untouched`,
      'failure',
    );
  }
  // A hand-edited profile of the wrong shape would otherwise surface later as
  // "key.trim is not a function" (exit 1) or as a silently missing key.
  for (const [name, p] of Object.entries(data.profiles ?? {})) {
    const ok =
      typeof p === 'object' &&
      p !== null &&
      !Array.isArray(p) &&
      (p.key === undefined || typeof p.key === 'string') &&
      (p.baseUrl === undefined || typeof p.baseUrl === 'string');
    if (!ok) {
      throw new CliError(
        `config file ${path}: profile "${name}" is not an object with string "key" and "baseUrl"; fix it or remove the profile — the file was left untouched`,
        'failure',
      );
    }
  }
  return data;
}
