// Preloaded with `node --import` by test/perf: records every module URL the
// process resolves into the file named by ASTROSELL_IMPORT_LOG.
import { register } from 'node:module';

const hooks = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.ASTROSELL_IMPORT_LOG) appendFileSync(process.env.ASTROSELL_IMPORT_LOG, result.url + '\\n');
  return result;
}
`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
