// The masker on its own: known keys, key-shaped text, URL credentials, bytes
// left untouched, keys split across chunks.

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createMasker, maskedStream } from '../src/mask.js';

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

describe('createMasker: known keys', () => {
  it('a key that contains another known key is masked whole, not cut around the shorter one', () => {
    const short = 'team-secret-01';
    const long = `${short}-rotated-2026`;
    const m = createMasker([short, long]);
    expect(m.text(`x ${long} y`)).toBe('x …2026 y');
    expect(m.text(`x ${short} y`)).toBe('x …t-01 y');
  });

  it('a key stored with spaces or a newline around it is still masked', () => {
    expect(createMasker(['  custom-secret-123456\n']).text('custom-secret-123456')).toBe('…3456');
  });

  it('a key with characters that mean something in a pattern (. + $ ( ) is masked as written', () => {
    const odd = 'ops.key+2026$(rotated)';
    const m = createMasker([odd]);
    expect(m.text(`x ${odd} y`)).not.toContain(odd);
    // …and only the key: text the characters would match as a pattern is left alone.
    expect(m.text('x opsXkeyyy2026 y')).toBe('x opsXkeyyy2026 y');
  });

  it('a key of eight characters is masked; a shorter "key" is left alone', () => {
    expect(createMasker(['abcd1234']).text('id abcd1234')).toBe('id …');
    expect(createMasker(['abc1234']).text('id abc1234')).toBe('id abc1234');
  });
});

describe('createMasker: a stream of chunks', () => {
  it('a key at the very end of the stream (no newline after it) is masked, its ellipsis intact', () => {
    const s = createMasker().chunks();
    const out = Buffer.concat([s.push(Buffer.from(`last: ${KEY}`)), s.end()]);
    expect(out.toString('utf8')).toBe('last: nsk_live_…1b2a');
  });

  it('a long run of key characters is passed on as it comes: at most 64 KiB is held back', () => {
    const s = createMasker().chunks();
    const run = Buffer.alloc(1024 * 1024, 'a');
    const out = s.push(run);
    expect(out.length).toBeGreaterThanOrEqual(run.length - 64 * 1024);
    expect(Buffer.concat([out, s.end()])).toEqual(run);
  });
});

/** A masked stream over one that keeps what reaches it. */
function collecting() {
  const seen = { text: '' };
  const raw = new Writable({
    write(c, _e, cb) {
      seen.text += c.toString();
      cb();
    },
  });
  return { raw, seen, out: maskedStream(raw, createMasker()) };
}

describe('maskedStream', () => {
  it('masks what is written with end() too', async () => {
    const { raw, seen, out } = collecting();
    out.end(`last ${KEY}\n`);
    await new Promise((resolve) => raw.on('finish', resolve));
    expect(seen.text).toBe('last nsk_live_…1b2a\n');
  });

  it('masks every write, also through a hook a spinner assigns to `write`', () => {
    const { seen, out } = collecting();
    out.write(`a ${KEY}\n`);
    // What ora does: keep the write it found, install its own that calls it.
    const found = out.write.bind(out);
    (out as { write: unknown }).write = (c: string) => found(c.toUpperCase());
    out.write(`b ${KEY}\n`);
    expect(seen.text).toBe('a nsk_live_…1b2a\nB NSK_LIVE_…1B2A\n');
  });
});
