import { decodeText, DecodeError } from './decode.js';
import type { TextEncodingName } from './decode.js';
import { parseJson, SyntaxProblem } from './parse-json.js';
import { parseYaml } from './parse-yaml.js';
import type { YamlResource } from './parse-yaml.js';
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

function fromYamlResource(resource: YamlResource, file: string, index: number): CredSpecDocument | undefined {
  const { value } = resource;
  const base = { file, format: 'yaml' as const, index, positions: resource.positions, notes: resource.notes };
  if (!isObject(value)) return undefined;
  if (!looksLikeResource(value)) return { ...base, spec: value, specPath: '' };
  if (!isCredSpecResource(value)) return undefined;
  const metadata = isObject(value.metadata) ? value.metadata : {};
  return {
    ...base,
    spec: value.credspec,
    specPath: 'credspec',
    k8s: { apiVersion: value.apiVersion, kind: value.kind, name: metadata.name, sizeBytes: resource.sizeBytes },
  };
}

/** Every credential spec in a file's bytes: one JSON spec, or the GMSACredentialSpec resources of a YAML file. */
export function parseCredSpecBytes(bytes: Uint8Array, file: string): ParsedFile {
  let decoded;
  try {
    decoded = decodeText(bytes);
  } catch (error) {
    if (error instanceof DecodeError)
      return { documents: [], errors: [{ file, kind: 'syntax', reason: error.message }] };
    throw error;
  }
  const { text, encoding } = decoded;
  if (text.trim() === '')
    return { documents: [], errors: [{ file, kind: 'empty', reason: 'the file is empty' }], encoding };
  try {
    if (formatOf(file, text) === 'json') {
      const parsed = parseJson(text);
      const document: CredSpecDocument = {
        file,
        format: 'json',
        index: 0,
        spec: parsed.value,
        specPath: '',
        positions: parsed.positions,
        notes: parsed.notes,
      };
      return { documents: [document], errors: [], encoding };
    }
    const resources = parseYaml(text);
    const documents = resources.flatMap((r, i) => fromYamlResource(r, file, i) ?? []);
    const errors: CredSpecReadError[] = documents.length
      ? []
      : [{ file, kind: 'empty', reason: 'no GMSACredentialSpec resource or credential spec in this YAML file' }];
    return { documents, errors, encoding };
  } catch (error) {
    if (error instanceof SyntaxProblem)
      return {
        documents: [],
        errors: [{ file, kind: 'syntax', reason: error.message, position: error.position }],
        encoding,
      };
    throw error;
  }
}
