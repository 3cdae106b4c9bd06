import { decodeText, DecodeError } from './decode.js';
import type { TextEncodingName } from './decode.js';
import { LimitProblem, parseJson, SyntaxProblem } from './parse-json.js';
import { parseYaml } from './parse-yaml.js';
import type { CredSpecDocument, CredSpecReadError, SourceFormat } from '../facts/credspec.js';

export interface ParsedFile {
  documents: CredSpecDocument[];
  errors: CredSpecReadError[];
  encoding?: TextEncodingName;
}

export function formatOf(file: string, text: string): SourceFormat {
  if (/\.json$/i.test(file)) return 'json';
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  return text.trimStart().startsWith('{') ? 'json' : 'yaml';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikeResource(value: Record<string, unknown>): boolean {
  return 'apiVersion' in value || 'kind' in value || 'credspec' in value;
}

function isCredSpecResource(value: Record<string, unknown>): boolean {
  const kind = typeof value.kind === 'string' ? value.kind.toLowerCase() : '';
  const api = typeof value.apiVersion === 'string' ? value.apiVersion : '';
  return kind === 'gmsacredentialspec' || api.startsWith('windows.k8s.io') || 'credspec' in value;
}

/** The top-level keys of a credential spec: a mapping with none of them is something else. */
const SPEC_KEYS = ['cmsplugins', 'domainjoinconfig', 'activedirectoryconfig'];

function looksLikeSpec(value: Record<string, unknown>): boolean {
  return Object.keys(value).some((key) => SPEC_KEYS.includes(key.toLowerCase()));
}

const NOT_A_SPEC =
  'not a credential spec: none of CmsPlugins, DomainJoinConfig, ActiveDirectoryConfig, and no GMSACredentialSpec resource';

interface ParsedValue {
  value: unknown;
  positions: CredSpecDocument['positions'];
  notes: CredSpecDocument['notes'];
  sizeBytes: number;
}

/** A spec, a GMSACredentialSpec resource (its credspec), or undefined for anything else. */
function documentOf(
  parsed: ParsedValue,
  file: string,
  format: SourceFormat,
  index: number,
): CredSpecDocument | undefined {
  const { value } = parsed;
  const base = { file, format, index, positions: parsed.positions, notes: parsed.notes };
  if (!isObject(value)) return undefined;
  if (!looksLikeResource(value)) return looksLikeSpec(value) ? { ...base, spec: value, specPath: '' } : undefined;
  if (!isCredSpecResource(value)) return undefined;
  const metadata = isObject(value.metadata) ? value.metadata : {};
  return {
    ...base,
    spec: value.credspec,
    specPath: 'credspec',
    k8s: { apiVersion: value.apiVersion, kind: value.kind, name: metadata.name, sizeBytes: parsed.sizeBytes },
  };
}

type ReadErrorKind = CredSpecReadError['kind'];

function failed(file: string, kind: ReadErrorKind, reason: string, encoding?: TextEncodingName): ParsedFile {
  return { documents: [], errors: [{ file, kind, reason }], ...(encoding ? { encoding } : {}) };
}

/** Named neither .json nor .yaml/.yml: text that is not JSON or YAML is simply not a credential spec. */
const namedAsSpec = (file: string): boolean => /\.(json|ya?ml)$/i.test(file);

function parseDocuments(text: string, file: string): { documents: CredSpecDocument[]; resources: number } {
  if (formatOf(file, text) === 'json') {
    const parsed = parseJson(text);
    const document = documentOf({ ...parsed, sizeBytes: Buffer.byteLength(text, 'utf8') }, file, 'json', 0);
    return { documents: document ? [document] : [], resources: 0 };
  }
  const resources = parseYaml(text);
  const documents = resources.flatMap((r, i) => documentOf(r, file, 'yaml', i) ?? []);
  return { documents, resources: resources.filter((r) => isObject(r.value) && looksLikeResource(r.value)).length };
}

/**
 * Every credential spec in a file's bytes: one JSON spec (or a GMSACredentialSpec resource as JSON), or the
 * GMSACredentialSpec resources of a YAML file. Input errors (the file is past a bound, or is not a credential spec
 * at all) are told apart from the findings of a spec that is broken (a syntax error, no spec in a manifest).
 */
export function parseCredSpecBytes(bytes: Uint8Array, file: string): ParsedFile {
  let decoded;
  try {
    decoded = decodeText(bytes);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    return failed(file, 'not-credspec', error.message);
  }
  const { text, encoding } = decoded;
  if (text.trim() === '') return failed(file, 'empty', 'the file is empty', encoding);
  if (/\.json$/i.test(file) && !/^\s*[{[]/.test(text))
    return failed(file, 'not-credspec', 'not a credential spec: not JSON (a spec is a JSON object, {...})', encoding);
  try {
    const { documents, resources } = parseDocuments(text, file);
    if (documents.length > 0) return { documents, errors: [], encoding };
    // A manifest of other resources is a Kubernetes file without a spec; anything else is not a spec at all.
    if (resources > 0)
      return failed(file, 'empty', 'no GMSACredentialSpec resource or credential spec in this YAML file', encoding);
    return failed(file, 'not-credspec', NOT_A_SPEC, encoding);
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;
    if (error instanceof LimitProblem) return failed(file, 'limit', error.message, encoding);
    if (!namedAsSpec(file))
      return failed(file, 'not-credspec', `not a credential spec: neither JSON nor YAML (${error.message})`, encoding);
    return {
      documents: [],
      errors: [{ file, kind: 'syntax', reason: error.message, position: error.position }],
      encoding,
    };
  }
}
