// The masker on its own: known keys, key-shaped text, URL credentials, bytes
// left untouched, keys split across chunks.
import { describe, expect, it } from 'vitest';
import { createMasker } from '../src/mask.js';

const KEY = 'nsk_live_4f9a1c2e7b3d5a6f8e0c1b2a';

describe('createMasker', () => {
  it('masks known keys whatever their shape, and anything shaped like a key', () => {
    const m = createMasker(['custom-secret-123456']);
    expect(m.text(`a custom-secret-123456 b ${KEY} c NSK_TEST_abcdefghijklmnop`)).toBe(
      'a …3456 b nsk_live_…1b2a c NSK_TEST_…mnop',
    );
  });

  it('masking twice changes nothing, and a cut-off key is still masked', () => {
    const m = createMasker();
    const once = m.text(`key ${KEY}`);
    expect(m.text(once)).toBe(once);
    // A table cell cut with an ellipsis is not mistaken for the masked form.
    expect(m.text('nsk_live_4f9a1c2e7b…')).toBe('nsk_live_……');
  });

  it('hides the user and password of URLs', () => {
    expect(createMasker().text('see https://bob:hunter2@proxy.example:3128/x')).toBe(
      'see https://…@proxy.example:3128/x',
    );
  });

  it('ignores "keys" too short to mask without mangling text', () => {
    expect(createMasker(['a', '']).text('a banana')).toBe('a banana');
  });

  it('leaves bytes untouched except what it masks (no UTF-8 round trip)', () => {
    const raw = Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(` ${KEY} é`)]);
    const out = createMasker().bytes(raw);
    expect(out.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xfe, 0xc3]));
    expect(out.subarray(3).toString('utf8')).toBe(' nsk_live_…1b2a é');
  });

  it('masks a key split across chunks, and gives back every other byte in order', () => {
    const text = `{"a":"${KEY}","b":"plain text é"}`;
    for (let cut = 1; cut < text.length; cut++) {
      const s = createMasker().chunks();
      const b = Buffer.from(text);
      const out = Buffer.concat([s.push(b.subarray(0, cut)), s.push(b.subarray(cut)), s.end()]);
      expect(out.toString('utf8'), `cut at ${cut}`).toBe(
        '{"a":"nsk_live_…1b2a","b":"plain text é"}',
      );
    }
  });
});

describe('maskedStream', () => {
  it('masks every write, also through a hook a spinner assigns to `write`', async () => {
    const { maskedStream } = await import('../src/mask.js');
    const { Writable } = await import('node:stream');
    let seen = '';
    const raw = new Writable({
      write(c, _e, cb) {
        seen += c.toString();
        cb();
      },
    });
    const out = maskedStream(raw, createMasker());
    out.write(`a ${KEY}\n`);
    // What ora does: keep the write it found, install its own that calls it.
    const found = out.write.bind(out);
    (out as { write: unknown }).write = (c: string) => found(c.toUpperCase());
    out.write(`b ${KEY}\n`);
    expect(seen).toBe('a nsk_live_…1b2a\nB NSK_LIVE_…1B2A\n');
  });
});
