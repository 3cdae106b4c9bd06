/** Where CCG looks for its plug-ins in the registry, and `reg query` / .reg output read for them. Pure. */
import type { CcgPluginClass } from '../../facts/host.js';
import { normalizeRegPath, parseRegQuery, regExportKeys, valueOf } from './reg.js';

export const CCG_COM_CLASSES = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses';
export const CCG_WITHOUT_CONTROL = 'HKLM\\SYSTEM\\CurrentControlSet\\CCG\\COMClasses';

/** Pure: the CLSIDs under Control\CCG\COMClasses, from `reg query "...\COMClasses" /s`. */
export function registeredCcgPlugins(regQueryOutput: string): string[] {
  const prefix = `${normalizeRegPath(CCG_COM_CLASSES)}\\`;
  return parseRegQuery(regQueryOutput)
    .keys.map((k) => normalizeRegPath(k.path))
    .filter((p) => p.startsWith(prefix))
    .map((p) => p.slice(prefix.length).split('\\')[0] ?? '')
    .filter((g) => /^\{[0-9A-F-]{36}\}$/.test(g));
}

/**
 * Pure: the CLSIDs registered under HKLM\SYSTEM\CurrentControlSet\CCG\COMClasses, a path without \Control\ that
 * CCG never reads (microsoft/Windows-Containers#196), from `reg query` output or a .reg file.
 */
export function ccgPluginsWithoutControl(regText: string): string[] {
  const prefix = `${normalizeRegPath(CCG_WITHOUT_CONTROL)}\\`;
  const paths = [...parseRegQuery(regText).keys.map((k) => k.path), ...regExportKeys(regText)].map(normalizeRegPath);
  return [
    ...new Set(paths.filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length).split('\\')[0] ?? '')),
  ].filter((g) => /^\{[0-9A-F-]{36}\}$/.test(g));
}

/** Pure: one plugin's COM class from `reg query "HKLM\SOFTWARE\Classes\CLSID\{GUID}" /s`. */
export function comClassFrom(regQueryOutput: string): Pick<CcgPluginClass, 'clsidRegistered' | 'server'> {
  const parsed = parseRegQuery(regQueryOutput);
  if (parsed.notFound || parsed.keys.length === 0) return { clsidRegistered: false };
  const serverKey = parsed.keys.find((k) => /\\(InprocServer32|LocalServer32)$/i.test(k.path));
  const server = valueOf(serverKey, '(Default)');
  return { clsidRegistered: true, ...(server ? { server } : {}) };
}
