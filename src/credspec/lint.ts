import { CREDSPEC_DOCUMENT_CHECKS } from '../checks/credspec.js';
import { FactStore } from '../engine/facts.js';
import type { Finding } from '../engine/finding.js';
import { runCheck } from '../engine/runner.js';
import { parseCredSpecBytes } from './parse.js';

/** Lints one credential spec held in memory (no I/O): every document rule, as `credspec lint` runs them. */
export function lintCredSpecBytes(bytes: Uint8Array, file: string): Finding[] {
  const parsed = parseCredSpecBytes(bytes, file);
  const facts = new FactStore();
  facts.set('credspec.documents', parsed.documents);
  facts.set('credspec.readErrors', parsed.errors);
  return CREDSPEC_DOCUMENT_CHECKS.flatMap((check) => runCheck(check, facts));
}

export function lintCredSpecText(text: string, file: string): Finding[] {
  return lintCredSpecBytes(Buffer.from(text, 'utf8'), file);
}
