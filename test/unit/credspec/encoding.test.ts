import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../src/credspec/decode.js';
import { lintCredSpecBytes } from '../../../src/plan/lint.js';
import { DOMAIN_JOINED, problems, sample } from './helpers.js';

const text = sample(DOMAIN_JOINED);

function utf16le(s: string, bom: boolean): Buffer {
  const body = Buffer.from(s, 'utf16le');
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
}

describe('credential spec encodings', () => {
  it.each([
    ['UTF-8', Buffer.from(text, 'utf8'), 'utf-8'],
    [
      'UTF-8 with BOM (Set-Content -Encoding UTF8 on Windows PowerShell)',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
      'utf-8-bom',
    ],
    ['UTF-16 LE with BOM (Out-File)', utf16le(text, true), 'utf-16le'],
    ['UTF-16 LE without BOM', utf16le(text, false), 'utf-16le'],
    [
      'UTF-16 BE with BOM',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(utf16le(text, false).swap16())]),
      'utf-16be',
    ],
  ])('reads %s', (_, bytes, encoding) => {
    expect(decodeText(bytes)).toEqual({ text, encoding });
    expect(problems(lintCredSpecBytes(bytes, 'spec.json'))).toEqual([]);
  });

  it('keeps line numbers right in a UTF-16 file (the missing comma is seen at the next line)', () => {
    const broken = text.replace('"webapp01",', '"webapp01"');
    const [f] = problems(lintCredSpecBytes(utf16le(broken, true), 'spec.json'));
    expect(f).toMatchObject({ id: 'credspec/readable', location: { line: 8 } });
  });

  it('says that binary data is not text: not a credential spec, an input error (not judged)', () => {
    const findings = lintCredSpecBytes(Buffer.from([0x00, 0xff, 0x80, 0x81, 0x01]), 'blob.json');
    expect(problems(findings)).toEqual([]);
    expect(findings.find((f) => f.id === 'credspec/readable')).toMatchObject({
      severity: 'skipped',
      message: expect.stringMatching(/^not judged: not text/) as unknown,
    });
  });

  it('accepts PowerShell ConvertTo-Json layout (aligned colons, trailing space after {)', () => {
    expect(
      problems(lintCredSpecBytes(Buffer.from(sample('xiaoping8385-TKGi-GMSA__WebApp01.json')), 'WebApp01.json')),
    ).toEqual([]);
  });
});
