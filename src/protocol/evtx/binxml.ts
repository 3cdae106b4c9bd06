/**
 * BinXML ([MS-EVEN6] 3.1.4.7): the token stream inside EVTX chunks. Templates are compiled once per chunk
 * into a small node tree; each record then only reads its substitution values and renders the tree.
 * All offsets are relative to the chunk, whose bytes are `chunk`.
 */
import { ValueType, valueText } from './values.js';

export const Token = {
  EndOfStream: 0x00,
  OpenStartElement: 0x01,
  CloseStartElement: 0x02,
  CloseEmptyElement: 0x03,
  EndElement: 0x04,
  Value: 0x05,
  Attribute: 0x06,
  CDataSection: 0x07,
  CharRef: 0x08,
  EntityRef: 0x09,
  PITarget: 0x0a,
  PIData: 0x0b,
  TemplateInstance: 0x0c,
  NormalSubstitution: 0x0d,
  OptionalSubstitution: 0x0e,
  FragmentHeader: 0x0f,
  /** Set on tokens that are followed by more of the same (attributes, element with attributes). */
  MoreFlag: 0x40,
} as const;

/** A malformed token stream; `offset` is chunk-relative. */
export class BinXmlError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at chunk offset 0x${offset.toString(16)}`);
  }
}

export interface SubstitutionValue {
  type: number;
  start: number;
  size: number;
}

type TemplateNode =
  | { kind: 'element'; name: string; attributes: TemplateAttribute[]; children: TemplateNode[] }
  | { kind: 'text'; text: string }
  | { kind: 'substitution'; index: number; optional: boolean }
  | { kind: 'instance'; template: Template; values: SubstitutionValue[] };

interface TemplateAttribute {
  name: string;
  parts: TemplateNode[];
}

export interface Template {
  offset: number;
  guid: string;
  nodes: TemplateNode[];
}

/** A rendered element: attribute values and text are plain (unescaped) strings. */
export interface XmlElement {
  name: string;
  attributes: [string, string][];
  children: (XmlElement | string)[];
}

const MAX_DEPTH = 64;
/** Rendered nodes allowed per record: templates and BinXml values that refer to each other cannot expand without end. */
const MAX_RENDERED_NODES = 100_000;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Parses the BinXML of one chunk; templates and names are cached per chunk. */
export class ChunkBinXml {
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, Template>();
  private readonly compiling = new Set<number>();
  private budget = MAX_RENDERED_NODES;

  constructor(readonly chunk: Buffer) {}

  /** Compiles the fragment at [start, end) (a record's event, or a nested BinXml value). */
  compileFragment(start: number, end: number, depth = 0): TemplateNode[] {
    const cursor = { pos: start };
    const nodes = this.compileContent(cursor, end, depth, false);
    return nodes;
  }

  render(nodes: TemplateNode[], values: readonly SubstitutionValue[] = [], depth = 0): (XmlElement | string)[] {
    this.budget = MAX_RENDERED_NODES;
    const out: (XmlElement | string)[] = [];
    this.renderInto(nodes, values, out, depth);
    return out;
  }

  private need(at: number, size: number, end: number, what: string): void {
    if (at < 0 || at + size > end) throw new BinXmlError(`${what} (${size} bytes) runs past the end of its data`, at);
  }

  private u16(at: number): number {
    return this.chunk.readUInt16LE(at);
  }

  private u32(at: number): number {
    return this.chunk.readUInt32LE(at);
  }

  /** A name (element, attribute, entity) at a chunk offset: next offset, hash, length, UTF-16 text, NUL. */
  private nameAt(offset: number): { name: string; size: number } {
    const cached = this.names.get(offset);
    if (cached !== undefined) return { name: cached, size: 8 + (cached.length + 1) * 2 };
    this.need(offset, 8, this.chunk.length, 'name header');
    const length = this.u16(offset + 6);
    this.need(offset + 8, (length + 1) * 2, this.chunk.length, 'name');
    const name = this.chunk.toString('utf16le', offset + 8, offset + 8 + length * 2);
    this.names.set(offset, name);
    return { name, size: 8 + (length + 1) * 2 };
  }

  /** Reads a name reference; when it points right here, the name is inline and the cursor skips it. */
  private nameRef(cursor: { pos: number }, end: number): string {
    this.need(cursor.pos, 4, end, 'name offset');
    const offset = this.u32(cursor.pos);
    cursor.pos += 4;
    const { name, size } = this.nameAt(offset);
    if (offset === cursor.pos) cursor.pos += size;
    return name;
  }

  private compileContent(cursor: { pos: number }, end: number, depth: number, inElement: boolean): TemplateNode[] {
    if (depth > MAX_DEPTH) throw new BinXmlError(`elements nested deeper than ${MAX_DEPTH}`, cursor.pos);
    const nodes: TemplateNode[] = [];
    while (cursor.pos < end) {
      const at = cursor.pos;
      const token = this.chunk[at]!;
      switch (token & ~Token.MoreFlag) {
        case Token.EndOfStream:
          cursor.pos++;
          if (inElement) throw new BinXmlError('end of stream inside an open element', at);
          return nodes;
        case Token.EndElement:
          cursor.pos++;
          if (!inElement) throw new BinXmlError('end-element token outside an element', at);
          return nodes;
        case Token.OpenStartElement:
          nodes.push(this.compileElement(cursor, end, depth));
          break;
        case Token.FragmentHeader:
          this.need(at, 4, end, 'fragment header');
          cursor.pos += 4;
          break;
        case Token.TemplateInstance:
          nodes.push(this.compileInstance(cursor, end, depth));
          break;
        default:
          nodes.push(this.compileLeaf(cursor, end));
      }
    }
    if (inElement) throw new BinXmlError('element not closed before the end of its data', cursor.pos);
    return nodes;
  }

  /** Value text, CDATA, character and entity references, processing instructions and substitutions. */
  private compileLeaf(cursor: { pos: number }, end: number): TemplateNode {
    const at = cursor.pos;
    const token = this.chunk[at]! & ~Token.MoreFlag;
    switch (token) {
      case Token.Value: {
        this.need(at, 4, end, 'value text');
        const length = this.u16(at + 2);
        this.need(at + 4, length * 2, end, 'value text');
        cursor.pos = at + 4 + length * 2;
        return { kind: 'text', text: this.chunk.toString('utf16le', at + 4, at + 4 + length * 2) };
      }
      case Token.CDataSection:
      case Token.PIData: {
        this.need(at, 3, end, 'CDATA section');
        const length = this.u16(at + 1);
        this.need(at + 3, length * 2, end, 'CDATA section');
        cursor.pos = at + 3 + length * 2;
        return { kind: 'text', text: this.chunk.toString('utf16le', at + 3, at + 3 + length * 2) };
      }
      case Token.CharRef: {
        this.need(at, 3, end, 'character reference');
        cursor.pos = at + 3;
        return { kind: 'text', text: String.fromCharCode(this.u16(at + 1)) };
      }
      case Token.EntityRef:
      case Token.PITarget: {
        cursor.pos = at + 1;
        const name = this.nameRef(cursor, end);
        return { kind: 'text', text: token === Token.EntityRef ? (ENTITIES[name] ?? `&${name};`) : '' };
      }
      case Token.NormalSubstitution:
      case Token.OptionalSubstitution: {
        this.need(at, 4, end, 'substitution');
        cursor.pos = at + 4;
        return { kind: 'substitution', index: this.u16(at + 1), optional: token === Token.OptionalSubstitution };
      }
      default:
        throw new BinXmlError(`unexpected token 0x${this.chunk[at]!.toString(16)}`, at);
    }
  }

  private compileElement(cursor: { pos: number }, end: number, depth: number): TemplateNode {
    const at = cursor.pos;
    const hasAttributes = (this.chunk[at]! & Token.MoreFlag) !== 0;
    // token, dependency id (u16), data size (u32), name offset (u32)
    this.need(at, 11, end, 'element start');
    cursor.pos = at + 7;
    const name = this.nameRef(cursor, end);
    if (hasAttributes) {
      this.need(cursor.pos, 4, end, 'attribute list size');
      cursor.pos += 4;
    }
    const attributes: TemplateAttribute[] = [];
    for (;;) {
      this.need(cursor.pos, 1, end, 'element');
      const token = this.chunk[cursor.pos]!;
      if ((token & ~Token.MoreFlag) === Token.Attribute) {
        cursor.pos++;
        const attributeName = this.nameRef(cursor, end);
        attributes.push({ name: attributeName, parts: this.compileAttributeValue(cursor, end) });
      } else if (token === Token.CloseEmptyElement) {
        cursor.pos++;
        return { kind: 'element', name, attributes, children: [] };
      } else if (token === Token.CloseStartElement) {
        cursor.pos++;
        return { kind: 'element', name, attributes, children: this.compileContent(cursor, end, depth + 1, true) };
      } else {
        throw new BinXmlError(`unexpected token 0x${token.toString(16)} in the start of element <${name}>`, cursor.pos);
      }
    }
  }

  private compileAttributeValue(cursor: { pos: number }, end: number): TemplateNode[] {
    const parts: TemplateNode[] = [];
    while (cursor.pos < end) {
      const token = this.chunk[cursor.pos]! & ~Token.MoreFlag;
      const isValue =
        token === Token.Value ||
        token === Token.CharRef ||
        token === Token.EntityRef ||
        token === Token.NormalSubstitution ||
        token === Token.OptionalSubstitution;
      if (!isValue) break;
      parts.push(this.compileLeaf(cursor, end));
    }
    return parts;
  }

  private compileInstance(cursor: { pos: number }, end: number, depth: number): TemplateNode {
    const at = cursor.pos;
    // token, unknown (u8), template id (u32), definition offset (u32)
    this.need(at, 10, end, 'template instance');
    const definitionOffset = this.u32(at + 6);
    cursor.pos = at + 10;
    const template = this.template(definitionOffset, depth);
    if (definitionOffset === cursor.pos) {
      const dataSize = this.u32(definitionOffset + 20);
      cursor.pos += 24 + dataSize;
    }
    return { kind: 'instance', template, values: this.readValues(cursor, end) };
  }

  /** A template definition: next offset (u32), GUID (16), data size (u32), then BinXML ending in end-of-stream. */
  private template(offset: number, depth: number): Template {
    const cached = this.templates.get(offset);
    if (cached) return cached;
    if (this.compiling.has(offset)) throw new BinXmlError('template refers to itself', offset);
    this.need(offset, 24, this.chunk.length, 'template definition');
    const dataSize = this.u32(offset + 20);
    const dataEnd = offset + 24 + dataSize;
    this.need(offset + 24, dataSize, this.chunk.length, 'template definition data');
    this.compiling.add(offset);
    try {
      const nodes = this.compileContent({ pos: offset + 24 }, dataEnd, depth + 1, false);
      const template = { offset, guid: guidOf(this.chunk, offset + 4), nodes };
      this.templates.set(offset, template);
      return template;
    } finally {
      this.compiling.delete(offset);
    }
  }

  /** The substitution array: count (u32), then (size u16, type u8, pad u8) per value, then the values. */
  private readValues(cursor: { pos: number }, end: number): SubstitutionValue[] {
    this.need(cursor.pos, 4, end, 'substitution count');
    const count = this.u32(cursor.pos);
    cursor.pos += 4;
    this.need(cursor.pos, count * 4, end, `${count} substitution descriptors`);
    const values: SubstitutionValue[] = new Array<SubstitutionValue>(count);
    let data = cursor.pos + count * 4;
    for (let i = 0; i < count; i++) {
      const size = this.u16(cursor.pos + i * 4);
      const type = this.chunk[cursor.pos + i * 4 + 2]!;
      values[i] = { type, start: data, size };
      data += size;
    }
    this.need(cursor.pos + count * 4, data - cursor.pos - count * 4, end, 'substitution values');
    cursor.pos = data;
    return values;
  }

  private renderInto(
    nodes: TemplateNode[],
    values: readonly SubstitutionValue[],
    out: (XmlElement | string)[],
    depth: number,
  ): void {
    this.budget -= nodes.length;
    if (this.budget < 0)
      throw new BinXmlError(`record expands to more than ${MAX_RENDERED_NODES} nodes`, values[0]?.start ?? 0);
    for (const node of nodes) {
      switch (node.kind) {
        case 'text':
          out.push(node.text);
          break;
        case 'instance':
          this.renderInto(node.template.nodes, node.values, out, depth + 1);
          break;
        case 'substitution':
          this.renderSubstitution(node, values, out, depth);
          break;
        case 'element':
          this.renderElement(node, values, out, depth);
          break;
      }
    }
  }

  private renderSubstitution(
    node: { index: number; optional: boolean },
    values: readonly SubstitutionValue[],
    out: (XmlElement | string)[],
    depth: number,
  ): void {
    const value = values[node.index];
    if (!value || value.type === ValueType.Null || value.size === 0) return;
    if (value.type === ValueType.BinXml) {
      if (depth > MAX_DEPTH) throw new BinXmlError('BinXml values nested too deep', value.start);
      const nested = this.compileFragment(value.start, value.start + value.size, depth + 1);
      this.renderInto(nested, [], out, depth + 1);
      return;
    }
    const text = valueText(value.type, this.chunk, value.start, value.size);
    if (typeof text === 'string') out.push(text);
    else out.push(text.join(', '));
  }

  private renderElement(
    node: Extract<TemplateNode, { kind: 'element' }>,
    values: readonly SubstitutionValue[],
    out: (XmlElement | string)[],
    depth: number,
  ): void {
    // [MS-EVEN6] 3.1.4.7.2: an element holding an optional substitution whose value is NULL is left out.
    if (node.children.some((c) => c.kind === 'substitution' && c.optional && isNull(values[c.index]))) return;
    const attributes: [string, string][] = [];
    for (const attribute of node.attributes) {
      if (isAbsentOptional(attribute.parts, values)) continue;
      attributes.push([attribute.name, this.textOf(attribute.parts, values, depth)]);
    }
    // An array substitution as an element's whole content repeats the element once per item, as Windows does.
    const only = node.children.length === 1 ? node.children[0] : undefined;
    if (only?.kind === 'substitution') {
      const value = values[only.index];
      if (value && value.type & ValueType.ArrayFlag && value.size > 0) {
        const items = valueText(value.type, this.chunk, value.start, value.size);
        for (const item of Array.isArray(items) ? items : [items])
          out.push({ name: node.name, attributes, children: [item] });
        return;
      }
    }
    const children: (XmlElement | string)[] = [];
    this.renderInto(node.children, values, children, depth);
    out.push({ name: node.name, attributes, children });
  }

  private textOf(parts: TemplateNode[], values: readonly SubstitutionValue[], depth: number): string {
    const rendered: (XmlElement | string)[] = [];
    this.renderInto(parts, values, rendered, depth);
    return rendered.map((part) => (typeof part === 'string' ? part : textContent(part))).join('');
  }
}

function isNull(value: SubstitutionValue | undefined): boolean {
  return !value || value.type === ValueType.Null || value.size === 0;
}

function isAbsentOptional(parts: TemplateNode[], values: readonly SubstitutionValue[]): boolean {
  return parts.some((p) => p.kind === 'substitution' && p.optional && isNull(values[p.index]));
}

function guidOf(bytes: Buffer, at: number): string {
  const hex = (from: number, to: number): string => bytes.toString('hex', from, to);
  const swapped = (from: number, to: number): string => Buffer.from(bytes.subarray(from, to)).reverse().toString('hex');
  return `${swapped(at, at + 4)}-${swapped(at + 4, at + 6)}-${swapped(at + 6, at + 8)}-${hex(at + 8, at + 10)}-${hex(at + 10, at + 16)}`;
}

export function textContent(element: XmlElement): string {
  let text = '';
  for (const child of element.children) text += typeof child === 'string' ? child : textContent(child);
  return text;
}
