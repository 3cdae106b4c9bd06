import { CST, isAlias, isMap, isNode, isScalar, isSeq, Lexer, LineCounter, parseAllDocuments, visit } from 'yaml';
import type { Alias, Document, Node, Pair } from 'yaml';
import type { ParseNote, Position } from '../facts/credspec.js';
import { LimitProblem, MAX_SPEC_VALUES, SyntaxProblem, tooManyValues } from './parse-json.js';
import { fieldPath } from './positions.js';

export interface YamlResource {
  value: unknown;
  positions: Record<string, Position>;
  notes: ParseNote[];
  /** Byte size of the resource's source text. */
  sizeBytes: number;
  /** 0-based index of the `---` document the resource came from (several glued resources share one). */
  document: number;
  /** Character offset where the resource's text starts. */
  start: number;
  /** The comment lines before the document's content (Helm writes `# Source: chart/templates/x.yaml` there). */
  commentBefore?: string;
}

/** Bounds on what one YAML text may make the converter do. */
export interface YamlLimits {
  /**
   * Values that alias (`*name`) expansions produce in the whole text, each alias counting once plus every value of
   * what it copies: a few nested anchors can otherwise expand exponentially.
   */
  maxAliasExpansions: number;
  /** Mappings and sequences nested in one another. */
  maxDepth: number;
  /** Keys and values written in the text, counted before it is parsed (parsing costs far more than counting). */
  maxValues: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = {
  maxAliasExpansions: 10_000,
  maxDepth: 128,
  maxValues: MAX_SPEC_VALUES,
};

/** A text refused because it goes past a bound (not a syntax error: the YAML may be valid). */
export class YamlLimitProblem extends LimitProblem {}

/** Keys that begin a Kubernetes resource: seeing one twice in one mapping means two resources lost their `---`. */
const RESOURCE_START_KEYS = new Set(['apiVersion', 'kind']);

interface Budget {
  aliases: number;
  readonly limits: YamlLimits;
}

/**
 * What each alias of a document stands for: the last node before it with its anchor, found in one pass (the yaml
 * package's Alias.resolve walks the whole document for every alias, which a few thousand aliases make slow).
 */
function aliasTargets(doc: Document): Map<Alias, Node | undefined> {
  const anchored = new Map<string, Node>();
  const targets = new Map<Alias, Node | undefined>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) targets.set(node, anchored.get(node.source));
      else if (node.anchor) anchored.set(node.anchor, node);
    },
  });
  return targets;
}

class Converter {
  readonly positions: Record<string, Position> = {};
  readonly notes: ParseNote[] = [];
  /** How many aliases are being expanded around the node converted now. */
  private expanding = 0;

  constructor(
    private readonly text: string,
    private readonly lines: LineCounter,
    private readonly doc: Document,
    private readonly budget: Budget = { aliases: 0, limits: DEFAULT_YAML_LIMITS },
    private readonly targets: Map<Alias, Node | undefined> = aliasTargets(doc),
  ) {}

  /** Counts one value produced by an alias; past the bound the text is refused. */
  private spend(node: Node): void {
    if (++this.budget.aliases <= this.budget.limits.maxAliasExpansions) return;
    throw new YamlLimitProblem(
      `aliases (*name) expand to more than ${this.budget.limits.maxAliasExpansions} values: refused, as nested anchors can expand exponentially`,
      this.at(node.range?.[0] ?? 0),
    );
  }

  at(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  source(node: Node): string {
    const [start, end] = node.range ?? [0, 0];
    return this.text.slice(start, end);
  }

  convert(node: unknown, path: string, depth = 0): unknown {
    if (isAlias(node)) {
      this.spend(node);
      this.expanding++;
      try {
        return this.convert(this.targets.get(node), path, depth);
      } finally {
        this.expanding--;
      }
    }
    if (!isNode(node)) return null;
    const yamlNode = node;
    if (this.expanding > 0) this.spend(yamlNode);
    if (yamlNode.range) this.positions[path] = this.at(yamlNode.range[0]);
    if ((isMap(yamlNode) || isSeq(yamlNode)) && depth >= this.budget.limits.maxDepth) {
      throw new YamlLimitProblem(
        `mappings and sequences nested more than ${this.budget.limits.maxDepth} deep: refused`,
        this.at(yamlNode.range?.[0] ?? 0),
      );
    }
    if (isMap(yamlNode)) {
      // An unrendered Go/Helm template `{{ ... }}` parses as nested flow mappings: keep it as the text it is.
      if (yamlNode.flow && this.source(yamlNode).startsWith('{{')) return this.source(yamlNode).trim();
      return this.convertPairs(yamlNode.items, path, depth + 1);
    }
    if (isSeq(yamlNode)) return yamlNode.items.map((item, i) => this.convert(item, fieldPath(path, i), depth + 1));
    if (isScalar(yamlNode)) return yamlNode.value;
    return null;
  }

  keyText(pair: Pair): string {
    if (isScalar(pair.key)) return String(pair.key.value);
    return pair.key && typeof pair.key === 'object' ? this.source(pair.key as Node).trim() : String(pair.key);
  }

  convertPairs(pairs: readonly Pair[], path: string, depth = 0): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const pair of pairs) {
      const key = this.keyText(pair);
      const childPath = fieldPath(path, key);
      if (Object.hasOwn(out, key)) {
        this.notes.push({
          kind: 'duplicate-key',
          message: `key ${key} appears twice in one mapping; the last one wins`,
          field: childPath,
          position: this.keyPosition(pair),
        });
      }
      out[key] = this.convert(pair.value, childPath, depth);
    }
    return out;
  }

  keyPosition(pair: Pair): Position {
    const range = (pair.key as Node | null)?.range;
    return this.at(range ? range[0] : 0);
  }
}

/** Splits one top-level mapping into the resources that were glued into it without `---`. */
function splitGlued(pairs: readonly Pair[], keyOf: (p: Pair) => string): Pair[][] {
  const groups: Pair[][] = [[]];
  let seen = new Set<string>();
  for (const pair of pairs) {
    const key = keyOf(pair);
    if (RESOURCE_START_KEYS.has(key) && seen.has(key)) {
      groups.push([]);
      seen = new Set();
    }
    seen.add(key);
    groups[groups.length - 1]!.push(pair);
  }
  return groups;
}

function sizeOf(text: string, start: number, end: number): number {
  return Buffer.byteLength(text.slice(start, end), 'utf8');
}

function tooDeep(limits: YamlLimits): string {
  return `mappings and sequences nested too deeply to be read (more than ${limits.maxDepth} deep): refused`;
}

/** The tokens that each start a key or a value. */
const VALUE_TOKENS = new Set([
  'scalar',
  'single-quoted-scalar',
  'double-quoted-scalar',
  'block-scalar-header',
  'alias',
  'flow-map-start',
  'flow-seq-start',
]);

/** The lexer's markers, which take no place in the text. */
const MARKERS = new Set([CST.DOCUMENT, CST.FLOW_END, CST.SCALAR]);

/** Refuses a text with more keys and values than the bound, lexing it up to the bound only. */
function boundValues(text: string, limits: YamlLimits): void {
  let values = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (VALUE_TOKENS.has(CST.tokenType(token) ?? '') && ++values > limits.maxValues) {
      const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
      const line = (text.slice(0, lineStart).match(/\n/g) ?? []).length + 1;
      throw new YamlLimitProblem(tooManyValues(limits.maxValues), { line, column: offset - lineStart + 1 });
    }
    if (!MARKERS.has(token)) offset += token.length;
  }
}

/** Every resource in a YAML file: documents separated by `---`, and resources glued together without it. */
export function parseYaml(text: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): YamlResource[] {
  boundValues(text, limits);
  const lines = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  } catch (error) {
    // The parser recurses into flow collections: a few thousand nested brackets exhaust the stack.
    if (error instanceof RangeError) throw new YamlLimitProblem(tooDeep(limits), { line: 1, column: 1 });
    throw error;
  }
  if (!Array.isArray(docs)) return [];
  const budget: Budget = { aliases: 0, limits };
  const resources: YamlResource[] = [];
  docs.forEach((doc, document) => {
    const error = doc.errors[0];
    if (error) {
      const { line, col } = lines.linePos(error.pos[0]);
      const deep = /call stack/i.test(error.message);
      const message = deep ? tooDeep(limits) : `YAML syntax error: ${error.message.split('\n')[0]}`;
      throw new (deep ? YamlLimitProblem : SyntaxProblem)(message, { line, column: col });
    }
    const contents = doc.contents;
    if (!contents) return;
    // After `---`, a comment above the first key belongs to the content node, not the document.
    const comment = doc.commentBefore ?? contents.commentBefore;
    const info = { document, ...(comment ? { commentBefore: comment } : {}) };
    const targets = aliasTargets(doc);
    const converter = new Converter(text, lines, doc, budget, targets);
    if (!isMap(contents)) {
      const start = contents.range?.[0] ?? 0;
      resources.push({
        value: converter.convert(contents, ''),
        positions: converter.positions,
        notes: converter.notes,
        sizeBytes: 0,
        start,
        ...info,
      });
      return;
    }
    const groups = splitGlued(contents.items, (p) => converter.keyText(p));
    groups.forEach((pairs, i) => {
      const part = new Converter(text, lines, doc, budget, targets);
      const start = (pairs[0]?.key as Node | null)?.range?.[0] ?? 0;
      const next = groups[i + 1]?.[0]?.key as Node | null | undefined;
      const end = next?.range?.[0] ?? contents.range?.[2] ?? text.length;
      if (groups.length > 1) {
        const starts = groups.map((g) => part.at((g[0]?.key as Node | null)?.range?.[0] ?? 0).line);
        part.notes.push({
          kind: 'glued-documents',
          message: `${groups.length} resources are glued into one YAML document without \`---\` separators (they start at lines ${starts.join(', ')}): their keys land in one mapping, so strict parsers such as kubectl reject the file and lenient ones keep only the last value of each key`,
          field: '',
          position: part.at(start),
        });
      }
      resources.push({
        value: part.convertPairs(pairs, '', 1),
        positions: part.positions,
        notes: part.notes,
        sizeBytes: sizeOf(text, start, end),
        start,
        ...info,
      });
    });
  });
  return resources;
}
