/**
 * A fixed CPU workload, timed: the machine's speed at the moment, printed beside every CPU-bound
 * figure (these machines run the same work up to twice as slowly in some phases). The work is the
 * kind sync does — JSON parse and stringify of Graph-like pages, UTF-8 decoding, hashing — on
 * deterministic data, single-threaded, so its time tracks how fast one core is right now.
 *
 *   node tools/run-ts.mjs tools/bench/calibrate.ts [--json out.json]
 */
import { createHash } from 'node:crypto';
import { writeFigures } from './support';

/** The workload (about 1 s on a fast core of these machines); returns a checksum so nothing is optimised away. */
export function workload(): number {
  const events = Array.from({ length: 2_000 }, (_, i) => ({
    id: `AAMkAG${i.toString(36).padStart(10, '0')}`,
    subject: `Design review ${i}`,
    start: { dateTime: `2026-12-${String((i % 28) + 1).padStart(2, '0')}T10:00:00.0000000`, timeZone: 'UTC' },
    attendees: Array.from({ length: 4 }, (_, j) => ({ emailAddress: { name: `Person ${j}`, address: `p${j}.${i}@contoso.com` }, type: 'required' })),
    body: { contentType: 'text', content: 'Agenda in the doc. '.repeat(8) },
  }));
  const page = JSON.stringify({ value: events });
  const bytes = Buffer.from(page);
  let sum = 0;
  for (let round = 0; round < 70; round++) {
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { value: Array<{ subject: string }> };
    sum += parsed.value.length;
    sum += JSON.stringify(parsed).length;
    sum += createHash('sha256').update(bytes).digest()[0];
  }
  return sum;
}

/** Best of `runs` timings of the workload, and all of them, in ms. */
export function calibrate(runs = 3): { bestMs: number; runsMs: number[] } {
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    workload();
    runsMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { bestMs: Math.min(...runsMs), runsMs };
}

if (require.main === module) {
  const figures = calibrate();
  console.log(`calibration: fixed CPU workload best of ${figures.runsMs.length}: ${figures.bestMs.toFixed(0)} ms (runs ${figures.runsMs.map((m) => m.toFixed(0)).join(', ')} ms)`);
  writeFigures(process.argv.slice(2), figures);
}
