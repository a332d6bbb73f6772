import { changeKeyOf, decodeId, itemId, occurrenceId, reference } from './ids';
import { Rng } from './prng';

describe('ids', () => {
  it('encodes ids and change keys exactly as the Buffer-based encodings', () => {
    const rng = new Rng(3);
    const starts = [0, -1, 1.5, Date.parse('2026-03-04T17:30:00Z'), -62135596800000, 253402300799000];
    for (let i = 0; i < 2000; i++) {
      const [m, s, q, c] = [rng.u32(), rng.u32(), i < 10 ? i : rng.u32(), rng.int(1000)];
      const start = i < starts.length ? starts[i] : (rng.u32() - 2 ** 31) * 1000;
      expect(itemId(m, s, q)).toBe(reference.itemId(m, s, q));
      expect(occurrenceId(m, s, q, start)).toBe(reference.occurrenceId(m, s, q, start));
      expect(changeKeyOf(s, q, c, i & 1)).toBe(reference.changeKeyOf(s, q, c, i & 1));
      expect(decodeId(occurrenceId(m, s, q, start))).toEqual({ mailbox: m, salt: s, seq: q, originalStartMs: start });
    }
  });
});
