/**
 * `reg query` output: a key path on its own line, then its values indented by four spaces, each
 * `name    TYPE    data` separated by runs of four spaces. Other lines (echoed commands, prompts) are ignored.
 */
export interface RegValue {
  name: string;
  type: string;
  data: string;
}

export interface RegKey {
  path: string;
  values: RegValue[];
}

export interface RegQueryResult {
  keys: RegKey[];
  /** `ERROR: The system was unable to find the specified registry key or value.` */
  notFound: boolean;
}

const VALUE = /^ {2,}(\S.*?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/;

export function parseRegQuery(text: string): RegQueryResult {
  const result: RegQueryResult = { keys: [], notFound: false };
  let key: RegKey | undefined;
  for (const line of text.replace(/\r/g, '').split('\n')) {
    if (/^HKEY_[A-Z_]+(\\|$)/.test(line.trim()) && !/^\s*reg /i.test(line)) {
      key = { path: line.trim(), values: [] };
      result.keys.push(key);
      continue;
    }
    if (/unable to find the specified registry key or value/i.test(line)) result.notFound = true;
    const value = VALUE.exec(line);
    if (key && value) key.values.push({ name: value[1] ?? '', type: value[2] ?? '', data: (value[3] ?? '').trimEnd() });
  }
  return result;
}

/** Short hive names as `reg` accepts them, so paths compare whichever spelling was used. */
export function normalizeRegPath(path: string): string {
  return path
    .replace(/^HKLM\\/i, 'HKEY_LOCAL_MACHINE\\')
    .replace(/^HKCR\\/i, 'HKEY_CLASSES_ROOT\\')
    .replace(/\\+$/, '')
    .toUpperCase();
}

export function valueOf(key: RegKey | undefined, name: string): string | undefined {
  return key?.values.find((v) => v.name.toLowerCase() === name.toLowerCase())?.data;
}

/** The key paths of a .reg export (`[HKEY_LOCAL_MACHINE\...]` lines), as `reg export` and installers write them. */
export function regExportKeys(text: string): string[] {
  return [...text.replace(/\r/g, '').matchAll(/^\s*\[(HKEY_[^\]]+)\]\s*$/gm)].map((m) => m[1] ?? '');
}
