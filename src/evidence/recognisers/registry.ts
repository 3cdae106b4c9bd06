/**
 * `reg query` output and `.reg` exports, read for what gMSA needs: CCG plug-in registrations
 * (HKLM\SYSTEM\CurrentControlSet\Control\CCG\COMClasses\{CLSID}; a key without `\Control\` registers nothing CCG
 * sees), their COM class (HKLM\SOFTWARE\Classes\CLSID\{CLSID}), and registry:// credential specs
 * (HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Virtualization\Containers\CredentialSpecs).
 */
import { parseRegQuery } from '../../protocol/parsers/reg.js';
import type { RegKey } from '../../protocol/parsers/reg.js';
import type { NormalisedLine } from '../normalise.js';
import type { Block } from '../segment.js';
import type { RegistryData } from '../types.js';
import { makeItem, type Recognition } from '../item.js';

const KEY_LINE = /^HKEY_[A-Z_]{4,30}(?:\\|$)/;
const EXPORT_HEADER = /^(?:Windows Registry Editor Version \d+\.\d+|REGEDIT4)$/;
const EXPORT_KEY = /^\[(-?)(HKEY_[^\]]{1,2000})\]$/;
const EXPORT_VALUE = /^(?:"((?:[^"\\]|\\.){0,2000})"|@)=(.{0,60000})$/;
const VALUE_LINE = /^ {2,}\S.*? {4}REG_[A-Z_]+/;
const NOT_FOUND = /^ERROR: The system was unable to find the specified registry key or value\.$/;
const CCG_CLASS = /\\CCG\\COMClasses\\(\{[0-9A-Fa-f-]{36}\})$/i;
const CREDENTIAL_SPECS = /\\Virtualization\\Containers\\CredentialSpecs$/i;

function exportType(data: string): { type: string; data: string } {
  const m = /^(dword|hex(?:\(\w\))?):(.*)$/i.exec(data);
  if (m) return { type: m[1]!.toLowerCase() === 'dword' ? 'REG_DWORD' : 'REG_BINARY', data: m[2] ?? '' };
  return { type: 'REG_SZ', data: data.replace(/^"|"$/g, '') };
}

function readExport(lines: readonly NormalisedLine[]): { keys: RegKey[]; read: NormalisedLine[] } {
  const keys: RegKey[] = [];
  const read: NormalisedLine[] = [];
  for (const line of lines) {
    const text = line.text.trim();
    const key = EXPORT_KEY.exec(text);
    if (key) {
      keys.push({ path: key[2] ?? '', values: [] });
      read.push(line);
      continue;
    }
    const value = keys.length > 0 ? EXPORT_VALUE.exec(text) : null;
    if (value) {
      keys
        .at(-1)!
        .values.push({ name: value[1] === undefined ? '(Default)' : value[1], ...exportType(value[2] ?? '') });
      read.push(line);
    } else if (EXPORT_HEADER.test(text)) read.push(line);
  }
  return { keys, read };
}

function dataOf(form: RegistryData['form'], keys: RegKey[], notFound: boolean): RegistryData {
  return {
    form,
    keys,
    ccgPlugins: keys.flatMap((k) => {
      const m = CCG_CLASS.exec(k.path);
      return m?.[1]
        ? [
            {
              clsid: m[1].toUpperCase(),
              path: k.path,
              underControl: /\\CurrentControlSet\\Control\\CCG\\/i.test(k.path),
            },
          ]
        : [];
    }),
    credentialSpecs: keys
      .filter((k) => CREDENTIAL_SPECS.test(k.path))
      .flatMap((k) => k.values.map((v) => ({ name: v.name, type: v.type }))),
    notFound,
  };
}

export function recogniseRegistry(block: Block): Recognition {
  const lines = block.lines;
  if (
    lines.some(
      (l) =>
        (l.text.includes('[HKEY_') && EXPORT_KEY.test(l.text.trim())) ||
        ((l.text.includes('REGEDIT') || l.text.includes('Registry Editor')) && EXPORT_HEADER.test(l.text.trim())),
    )
  ) {
    const { keys, read } = readExport(lines);
    if (keys.length === 0) return { items: [], read };
    const quote = read.filter((l) => EXPORT_KEY.test(l.text.trim()));
    return { items: [makeItem('registry', quote, dataOf('reg-export', keys, false), { extent: read })], read };
  }
  const read = lines.filter(
    (l) =>
      (l.text.includes('HKEY_') && KEY_LINE.test(l.text.trim())) ||
      (l.text.includes('REG_') && VALUE_LINE.test(l.text)) ||
      (l.text.startsWith('ERROR:') && NOT_FOUND.test(l.text.trim())),
  );
  if (read.length === 0) return { items: [], read: [] };
  const parsed = parseRegQuery(read.map((l) => l.text).join('\n'));
  if (parsed.keys.length === 0 && !parsed.notFound) return { items: [], read: [] };
  const quote = read.filter((l) => KEY_LINE.test(l.text.trim()) || NOT_FOUND.test(l.text.trim()));
  return {
    items: [makeItem('registry', quote, dataOf('reg-query', parsed.keys, parsed.notFound), { extent: read })],
    read,
  };
}
