// Where each setting comes from, first found wins (docs/cli.md):
//   profile:  --profile > ASTROSELL_PROFILE > the profile marked default
//   API key:  ASTROSELL_API_KEY > profile key            (never a flag)
//   base URL: --base-url > ASTROSELL_BASE_URL > profile baseUrl > default
// The profile store is opened only when a flag or the environment leaves a
// setting open, so CI runs with both variables set never read the disk.
import { CliError, UsageError } from '../errors.js';
import type { Profile, ProfileStore } from './store.js';

export const DEFAULT_BASE_URL = 'https://api.astrosell.io/api/v1';

export type Source = 'flag' | 'env' | 'profile' | 'default' | 'none';

export interface ResolvedSettings {
  profile: string | undefined;
  profileSource: Source;
  apiKey: string | undefined;
  apiKeySource: Source;
  baseUrl: string;
  baseUrlSource: Source;
}

export interface SettingsInput {
  flags: { profile?: string | undefined; baseUrl?: string | undefined };
  env: NodeJS.ProcessEnv;
  /** Opens the store; called at most once, and only when needed. */
  openStore: () => Promise<ProfileStore>;
}

export async function resolveSettings({
  flags,
  env,
  openStore,
}: SettingsInput): Promise<ResolvedSettings> {
  const envKey = env.ASTROSELL_API_KEY?.trim() || undefined;
  const envUrl = env.ASTROSELL_BASE_URL?.trim() || undefined;
  let profile: string | undefined;
  let profileSource: Source = 'none';
  if (flags.profile) {
    profile = flags.profile;
    profileSource = 'flag';
  } else if (env.ASTROSELL_PROFILE) {
    profile = env.ASTROSELL_PROFILE;
    profileSource = 'env';
  }

  // A named profile must exist even when env/flags cover every setting:
  // a typo in --profile should not silently talk to another shop.
  const needStore = profileSource !== 'none' || !envKey || !(flags.baseUrl || envUrl);
  let stored: Profile | undefined;
  if (needStore) {
    const store = await openStore();
    if (profile === undefined) {
      profile = store.defaultName();
      if (profile !== undefined) profileSource = 'default';
    }
    if (profile !== undefined) {
      stored = store.get(profile);
      if (!stored && profileSource === 'default') {
        // Only a hand edit leaves this (`keys remove` clears the default);
        // "no API key configured" would send the user looking elsewhere.
        const names = store.list().map((p) => p.name);
        throw new CliError(
          `config file ${store.path}: defaultProfile "${profileLabel(profile)}" names no profile`,
          'failure',
          {
            hint: names.length
              ? `run \`astrosell keys use <name>\` (profiles: ${names.join(', ')})`
              : 'add one with `astrosell keys add <name>`',
          },
        );
      }
      if (!stored && profileSource !== 'default') {
        const names = store.list().map((p) => p.name);
        throw new UsageError(`profile "${profileLabel(profile)}" not found`, {
          hint: names.length
            ? `known profiles: ${names.join(', ')}`
            : 'add one with `astrosell keys add <name>`',
        });
      }
    }
  }

  const apiKey = envKey ?? stored?.key;
  const apiKeySource: Source = envKey ? 'env' : stored?.key ? 'profile' : 'none';
  let baseUrl = DEFAULT_BASE_URL;
  let baseUrlSource: Source = 'default';
  if (flags.baseUrl) {
    baseUrl = flags.baseUrl;
    baseUrlSource = 'flag';
  } else if (envUrl) {
    baseUrl = envUrl;
    baseUrlSource = 'env';
  } else if (stored?.baseUrl) {
    baseUrl = stored.baseUrl;
    baseUrlSource = 'profile';
  }
  return { profile, profileSource, apiKey, apiKeySource, baseUrl, baseUrlSource };
}

const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  // Exactly the list docs/cli.md promises: `*.localhost` is left out, since only some
  // resolvers pin it to loopback and a key must not leak in plain text.
  if (LOOPBACK_NAMES.has(h)) return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Parse and check a base URL. Keys travel only over https, or plain http to
 * a loopback address; anything else is refused before a byte is sent.
 */
export function checkBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`invalid base URL "${withoutCredentials(raw)}"`, {
      hint: `expected something like ${DEFAULT_BASE_URL}`,
    });
  }
  // The service authenticates with the key alone; a user and password in
  // the URL would travel to it (and to every log that prints the URL).
  if (url.username || url.password) {
    throw new UsageError(
      `the base URL ${withoutCredentials(raw)} contains a user name or password; refusing to use it`,
      {
        hint: 'remove the `user:password@` part: the API key is the only credential the service takes',
      },
    );
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return url;
    throw new UsageError(
      `refusing to send the API key over plain HTTP to ${url.host}; use https:// (plain http is allowed only to loopback addresses)`,
    );
  }
  throw new UsageError(`unsupported base URL scheme "${url.protocol}" in ${raw}; use https://`);
}

/** A URL (or what was meant as one) for messages: `user:password@` shown as `…@`. */
export function withoutCredentials(raw: string): string {
  return raw.replace(
    /^([a-z][a-z0-9+.-]*:\/\/)?[^\s/?#@]*@/i,
    (_m, scheme?: string) => `${scheme ?? ''}…@`,
  );
}

/** A profile name for messages: a key passed by mistake as a name is shown masked. */
export function profileLabel(name: string): string {
  return /^nsk_/i.test(name.trim()) ? maskKey(name) : name;
}

/** `nsk_live_…abcd`: enough to recognise a key, never enough to use it. */
export function maskKey(key: string): string {
  const k = key.trim();
  const m = /^(nsk_(?:[a-z]+_)?)/i.exec(k);
  const head = m?.[1] ?? '';
  // Show the last 4 only when at least 8 secret characters stay hidden: a
  // short key (`nsk_live_abcd`) would otherwise be printed whole.
  const tail = k.length - head.length >= 12 ? k.slice(-4) : '';
  return `${head}…${tail}`;
}
