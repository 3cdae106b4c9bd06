/**
 * recognise never throws, on random text and bytes and on the corpus's real pastes mutated, and what it returns is
 * well-formed: every item and every unrecognised line rests on lines the paste has. Speed is measured in
 * bench/evidence.mjs, not here; this only shows that pathological shapes finish (no quadratic path, no deep stack).
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PASTE_SIZE, PasteTooLargeError, recognise, type Recognised } from '../../../src/evidence/recognise.js';

const DIR = new URL('../../fixtures/evidence/', import.meta.url);
const SAMPLES = new URL('../../fixtures/evidence-samples/', import.meta.url);
const PASTES = [
  ...readdirSync(DIR)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => readFileSync(new URL(f, DIR), 'utf8')),
  ...readdirSync(SAMPLES)
    .filter((f) => /\.(txt|json)$/.test(f))
    .map((f) => readFileSync(new URL(f, SAMPLES), 'utf8')),
];

function expectWellFormed(result: Recognised, lineCount: number): void {
  expect(result.failures).toEqual([]);
  for (const item of result.items) {
    expect(item.lines.from).toBeGreaterThanOrEqual(1);
    expect(item.lines.to).toBeLessThanOrEqual(lineCount);
    expect(item.lines.from).toBeLessThanOrEqual(item.lines.to);
    for (const q of item.quote) {
      expect(q.from).toBeGreaterThanOrEqual(item.lines.from);
      expect(q.to).toBeLessThanOrEqual(item.lines.to);
    }
    for (const code of item.codes)
      expect(Number.isInteger(code.value) && code.value >= 0 && code.value <= 0xffffffff).toBe(true);
    expect(() => JSON.stringify(item)).not.toThrow();
  }
  for (const line of result.unrecognisedLines) expect(line.to).toBeLessThanOrEqual(lineCount);
}

const lineCount = (text: string): number => Math.max(1, text.split(/\r\n|\r|\n/).length);

/** Pieces of the syntax the recognisers key on, so that random text reaches their deeper paths. */
const piece = fc.constantFrom(
  '\n',
  '\r\n',
  '\r',
  '    ',
  '\t',
  '> ',
  '```',
  '~~~',
  '**',
  '_**',
  '`',
  'PS C:\\> ',
  'C:\\>',
  '$ ',
  '# ',
  '>> ',
  '[root@h x]# ',
  'nltest /sc_verify:x',
  'Status = 1311 0x51f ERROR_NO_LOGON_SERVERS',
  'Trusted DC Name',
  'The command completed successfully',
  'klist get krbtgt',
  '#0>\tClient: a$ @ B',
  'klist failed with 0xc0000022',
  'At line:1 char:1',
  '    + CategoryInfo : x, ADException',
  'docker : ',
  'Error response from daemon: ',
  'hcsshim::CreateComputeSystem ',
  'hcs::System::Start: ',
  'failure in a Windows system call: ',
  '(0xc0370106)',
  'winapi error #3489661022',
  'credential spec ',
  'Name : value',
  'Message : ',
  'EventID : 5720',
  'Data : {1, 2, 3, 4}',
  '"SecurityOpt": [',
  '"Id": "x",',
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  "'",
  "message: '",
  'stdout: "a\\r\\nb"',
  'failed calling webhook "x": ',
  'admission webhook "x" denied the request: ',
  'no matches for kind "A" in version "b"',
  'Container Credential Guard failed to fetch gmsa credentials for ',
  '06/18 16:18:39 [SESSION] [1] D: NlSetStatusClientSession: Set connection status to c000005e',
  'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses\\{',
  '    (Default)    REG_SZ    x',
  '[HKEY_LOCAL_MACHINE\\X]',
  'USER INFORMATION',
  '====== ====',
  'kinit: ',
  'The trust relationship between this workstation and the primary domain failed',
  'An account failed to log on.',
  'Source: NETLOGON',
  'Description:',
  'constructor',
  '__proto__',
  'toString',
);

const mutation = fc.record({
  at: fc.nat(),
  insert: fc.oneof(
    fc.array(piece, { maxLength: 4 }).map((a) => a.join('')),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
  ),
  remove: fc.nat({ max: 40 }),
});

function mutate(text: string, changes: { at: number; insert: string; remove: number }[]): string {
  let out = text;
  for (const c of changes) {
    const at = out.length === 0 ? 0 : c.at % (out.length + 1);
    out = out.slice(0, at) + c.insert + out.slice(at + c.remove);
  }
  return out;
}

describe('recognise never throws and returns well-formed items', () => {
  it("random text built from the recognisers' syntax", () => {
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 120 }).map((a) => a.join('')),
        (text) => {
          expectWellFormed(recognise(text), lineCount(text));
        },
      ),
      { numRuns: 400 },
    );
  }, 60_000);

  it('random strings and random bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ unit: 'grapheme', maxLength: 400 })),
        (text) => {
          expect(recognise(text).failures).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        expect(recognise(bytes).failures).toEqual([]);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it("the corpus's real pastes, mutated", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PASTES), fc.array(mutation, { minLength: 1, maxLength: 12 }), (paste, changes) => {
        const text = mutate(paste, changes);
        expectWellFormed(recognise(text), lineCount(text));
      }),
      { numRuns: 500 },
    );
  }, 120_000);

  it("the corpus's pastes as UTF-16 bytes, mutated byte by byte", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PASTES),
        fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 8 }),
        (paste, flips) => {
          const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(paste, 'utf16le')]);
          for (const f of flips) bytes[f.at % bytes.length] = f.byte;
          expect(recognise(bytes).failures).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);
});

describe('bounded input', () => {
  it('refuses a paste over the size limit with a typed error, without reading it', () => {
    const result = recognise(new Uint8Array(MAX_PASTE_SIZE + 1));
    expect(result.error).toBeInstanceOf(PasteTooLargeError);
    expect(result.error?.message).toMatch(/at most 16777216/);
    expect(result.items).toEqual([]);
  });

  it.each([
    ['one 1 MB line', 'a'.repeat(1 << 20)],
    ['100,000 lines that each open an error record', 'x : y\nAt line:1 char:1\n'.repeat(50_000)],
    ['100,000 unclosed inspect fragments', '"SecurityOpt": [\n'.repeat(100_000)],
    ['100,000 prompts', 'PS C:\\> nltest /sc_verify:x\n'.repeat(100_000)],
    ['50,000 nested quote markers', '> '.repeat(50_000)],
    ['100,000 braces', '{\n'.repeat(100_000)],
    ['100,000 wrapped HCS errors', 'hcs::System::Start: failure in a Windows system call: the\n'.repeat(100_000)],
  ])(
    'finishes on %s, and caps what it returns',
    (_name, text) => {
      const result = recognise(text);
      expect(result.failures).toEqual([]);
      expect(result.items.length).toBeLessThanOrEqual(10_000);
      expect(result.unrecognisedLines.length).toBeLessThanOrEqual(1_000);
    },
    60_000,
  );
});
