// esbuild plugin: node-sqlite3-wasm reads its WebAssembly file from beside its
// own script (__dirname) at load time. Bundled, there is no such file (the
// package tarball has no dependencies; the single executable has one script),
// so the module is given the bytes instead: the .wasm is embedded in the
// (lazily loaded) chunk that holds the history code, and handed to the
// Emscripten module as `wasmBinary`.
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export const sqliteWasm = {
  name: 'sqlite-wasm',
  setup(build) {
    build.onLoad(
      { filter: /node-sqlite3-wasm[\\/]dist[\\/]node-sqlite3-wasm\.js$/ },
      async (args) => {
        const js = await readFile(args.path, 'utf8');
        return {
          contents:
            'var __dirname = "";\n' +
            'var Module = { wasmBinary: require("./node-sqlite3-wasm.wasm") };\n' +
            js,
          loader: 'js',
          resolveDir: dirname(args.path),
        };
      },
    );
    build.onLoad({ filter: /node-sqlite3-wasm\.wasm$/ }, async (args) => ({
      contents: await readFile(args.path),
      loader: 'binary',
    }));
  },
};
