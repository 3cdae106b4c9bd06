import type { CredSpecDocument } from '../../../src/facts/credspec.js';
import { NON_DOMAIN_JOINED, specDocuments, webapp01Spec } from '../_fixtures.js';

/** The guide's domain-joined example, as is or with one mistake made in it. */
export const guide = (
  edit?: (spec: Record<string, any>) => void,
): { facts: { 'credspec.documents': CredSpecDocument[] } } => ({ facts: { 'credspec.documents': webapp01Spec(edit) } });
/** The guide's non-domain-joined example (a CCG plug-in, placeholders, the guide's own PluginGUID). */
export const guideCcg = (edit?: (spec: Record<string, any>) => void) => ({
  facts: { 'credspec.documents': specDocuments(NON_DOMAIN_JOINED, undefined, edit) },
});
export const sample = (name: string) => ({ facts: { 'credspec.documents': specDocuments(name) } });
export const checked = (title: string) => ({
  severity: 'pass' as const,
  message: `${title}: 1 credential spec checked.`,
});
