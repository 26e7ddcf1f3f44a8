// A module evaluated anew, inside the calling test. Tables built when a
// module loads (a Set of codes, a default policy) are otherwise built once,
// before mutation testing switches a mutant on for the test; a copy loaded
// here sees it. The query makes a separate module instance; its own imports
// (errors, settings) stay shared, so instanceof still holds.
let n = 0;

export async function freshImport<T>(fromTestFile: string, spec: string): Promise<T> {
  n++;
  const url = new URL(spec, fromTestFile);
  url.search = `?fresh=${process.pid}-${n}`;
  return (await import(/* @vite-ignore */ url.href)) as T;
}
