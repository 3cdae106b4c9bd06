import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeStatus, findStatusCodes } from '../../../src/protocol/status/index.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const PASTED: { line: string }[] = JSON.parse(readFileSync(join(FIXTURES, 'status/pasted-lines.json'), 'utf8'));
const SEEDS = [
  ...PASTED.map((p) => p.line),
  readFileSync(
    join(FIXTURES, 'host/microsoft-SDN-339__nltest-sc_verify-ERROR_NO_LOGON_SERVERS__klist-access-denied.txt'),
    'utf8',
  ),
  'Trusted DC Connection Status Status = 1311 0x51f ERROR_NO_LOGON_SERVERS',
];

/** What every finding must satisfy, whatever the text. */
function expectWellFormed(text: string): void {
  let previousEnd = 0;
  for (const f of findStatusCodes(text)) {
    expect(f.start).toBeGreaterThanOrEqual(previousEnd);
    expect(f.end).toBeGreaterThan(f.start);
    expect(text.slice(f.start, f.end)).toBe(f.match);
    expect(f.candidates.length).toBeGreaterThan(0);
    expect(Number.isInteger(f.value) && f.value >= 0 && f.value <= 0xffffffff).toBe(true);
    previousEnd = f.end;
  }
}

const codeish = fc.constantFrom(
  ...'0123456789abcdefxX#()-_: \t\n=/.,ESTATUSRORdatwinpi'.split(''),
  '0x',
  'winapi error #',
  'Status = ',
  'data ',
  'error code ',
  'HRESULT ',
  'ERROR_',
  'STATUS_',
  'KDC_ERR_',
  'LdapErr',
);

const mutation = fc.oneof(
  fc.record({
    at: fc.nat(),
    insert: fc.array(codeish, { maxLength: 6 }).map((a) => a.join('')),
    remove: fc.nat({ max: 6 }),
  }),
  fc.record({ at: fc.nat(), insert: fc.string({ unit: 'grapheme', maxLength: 4 }), remove: fc.nat({ max: 3 }) }),
);

function mutate(text: string, changes: { at: number; insert: string; remove: number }[]): string {
  let out = text;
  for (const c of changes) {
    const at = out.length === 0 ? 0 : c.at % (out.length + 1);
    out = out.slice(0, at) + c.insert + out.slice(at + c.remove);
  }
  return out;
}

describe('findStatusCodes and decodeStatus never throw, and their findings are well-formed', () => {
  it('random text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.array(codeish, { maxLength: 80 }).map((a) => a.join('')),
        ),
        (text) => {
          expectWellFormed(text);
          expect(() => decodeStatus(text)).not.toThrow();
          expect(() => decodeStatus(text, 'kerberos')).not.toThrow();
        },
      ),
      { numRuns: 600 },
    );
  }, 30_000);

  it('real pasted lines, mutated', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 8 }), (seed, changes) => {
        const text = mutate(seed, changes);
        expectWellFormed(text);
        expect(() => decodeStatus(text)).not.toThrow();
      }),
      { numRuns: 600 },
    );
  }, 30_000);

  it('numbers of every size and sign', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.double(), fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }).map(Number)),
        (n) => {
          const candidates = decodeStatus(n);
          for (const c of candidates) expect(c.value >>> 0).toBe(c.value);
          expect(decodeStatus(String(n)).length >= 0).toBe(true);
        },
      ),
      { numRuns: 600 },
    );
  }, 30_000);

  // A 1 MB line of each shape that could make a regex backtrack: the run only has to finish (the benchmark in
  // bench/status-codes.mjs measures how fast; vitest's timeout catches a hang).
  it.each([
    ['hex digits', 'a'.repeat(1 << 20)],
    ['decimal digits', '9'.repeat(1 << 20)],
    ['0x prefixes', '0x'.repeat(1 << 19)],
    ['winapi prefixes', 'winapi error #'.repeat(75_000)],
    ['nltest prefixes', 'Status = 1 0x'.repeat(80_000)],
    ['underscores', 'A_'.repeat(1 << 19)],
    ['parentheses and minus', '((--'.repeat(1 << 18)],
    ['labels without numbers', 'error code: '.repeat(87_000)],
    ['many real codes', '(0x80070005) '.repeat(80_000)],
  ])(
    '%s',
    (_, text) => {
      const found = findStatusCodes(text);
      expect(found.length).toBeLessThanOrEqual(10_000);
    },
    30_000,
  );
});
