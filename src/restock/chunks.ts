// Reading a file as chunks into one reused buffer. The readers (the check
// before sending, the serial source) take what they need out of a chunk as
// copies (strings, the splitter's carry) before asking for the next one, so
// a whole restock allocates one read buffer instead of one per chunk.
import { open } from 'node:fs/promises';

export const CHUNK = 256 * 1024;

/** Each chunk is only valid until the next one is asked for. */
export async function* readChunks(path: string, size = CHUNK): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(size);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, size, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}
