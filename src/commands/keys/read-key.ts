// Reading a key: from stdin when it is piped, else from a hidden prompt.
// A key never arrives as a flag value (it would land in shell history and ps).
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';

export async function readAll(
  stream: NodeJS.ReadableStream,
  limit = 64 * 1024,
  what = 'an API key',
): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > limit) throw new UsageError(`standard input is too large to be ${what}`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readKey(ctx: Context, name: string): Promise<string> {
  let key: string;
  if (!ctx.io.stdinIsTTY) {
    key = (await readAll(ctx.io.stdin)).replace(/^\uFEFF/, '').trim();
    if (key.includes('\n'))
      throw new UsageError('expected one key on standard input, got several lines');
  } else if (ctx.io.canPrompt) {
    const prompter = await ctx.prompter();
    key = (await prompter.password(`API key for profile "${name}"`)).trim();
  } else {
    throw new UsageError('no key given: pipe it on standard input', {
      hint: `echo "$ASTROSELL_KEY" | astrosell keys add ${name}`,
    });
  }
  if (!key) throw new UsageError('the key is empty');
  if (/\s/.test(key)) throw new UsageError('the key contains spaces; check what was pasted');
  return key;
}
