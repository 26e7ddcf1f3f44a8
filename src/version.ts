// Replaced at build time by esbuild's `define`; read from package.json when
// running from source (tests import src/ directly).
declare const __ASTROSELL_VERSION__: string | undefined;
export const VERSION: string =
  typeof __ASTROSELL_VERSION__ === 'string' ? __ASTROSELL_VERSION__ : '0.0.0-dev';
