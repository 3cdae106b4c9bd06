/**
 * A small XML reader for event XML (`wevtutil qe /f:xml`, Event Viewer "Save as XML", other readers' output).
 * It reads elements, attributes, text, CDATA and character references; it does not validate.
 */
import type { XmlElement } from './binxml.js';
import { MAX_NESTING_DEPTH } from '../json-depth.js';

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return NAMED[ref] ?? whole;
  });
}

const ATTRIBUTE = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

/** Parses a document (or a run of documents: wevtutil prints `<Event>` after `<Event>` with no root). */
export function parseXmlForest(text: string): XmlElement[] {
  const roots: XmlElement[] = [];
  const stack: XmlElement[] = [];
  const lineAt = (index: number): number => text.slice(0, index).split('\n').length;
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('<', at);
    const content = text.slice(at, open === -1 ? text.length : open);
    const top = stack[stack.length - 1];
    if (top && content !== '') top.children.push(decodeEntities(content));
    if (open === -1) break;
    if (text.startsWith('<!--', open)) {
      at = skipPast(text, '-->', open, lineAt);
    } else if (text.startsWith('<![CDATA[', open)) {
      const end = skipPast(text, ']]>', open, lineAt);
      top?.children.push(text.slice(open + 9, end - 3));
      at = end;
    } else if (text.startsWith('<?', open) || text.startsWith('<!', open)) {
      at = skipPast(text, '>', open, lineAt);
    } else if (text.startsWith('</', open)) {
      const end = skipPast(text, '>', open, lineAt);
      const name = text.slice(open + 2, end - 1).trim();
      const closed = stack.pop();
      if (!closed || closed.name !== name)
        throw new XmlSyntaxError(`</${name}> does not close <${closed?.name ?? 'nothing'}>`, lineAt(open));
      dropIndentation(closed);
      at = end;
    } else {
      const end = tagEnd(text, open, lineAt);
      const selfClosing = text[end - 2] === '/';
      const body = text.slice(open + 1, end - (selfClosing ? 2 : 1));
      const nameMatch = /^[^\s/>]+/.exec(body);
      if (!nameMatch) throw new XmlSyntaxError('element without a name', lineAt(open));
      const element: XmlElement = { name: nameMatch[0], attributes: [], children: [] };
      for (const m of body.slice(nameMatch[0].length).matchAll(ATTRIBUTE)) {
        element.attributes.push([m[1]!, decodeEntities(m[3] ?? m[4] ?? '')]);
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else roots.push(element);
      if (!selfClosing && stack.push(element) > MAX_NESTING_DEPTH)
        throw new XmlSyntaxError(`elements nested more than ${MAX_NESTING_DEPTH} deep: refused`, lineAt(open));
      at = end;
    }
  }
  if (stack.length > 0)
    throw new XmlSyntaxError(`<${stack[stack.length - 1]!.name}> is never closed`, lineAt(text.length));
  return roots;
}

/** Indentation between child elements is layout, not content. */
function dropIndentation(element: XmlElement): void {
  if (element.children.some((c) => typeof c !== 'string')) {
    element.children = element.children.filter((c) => typeof c !== 'string' || c.trim() !== '');
  }
}

function skipPast(text: string, marker: string, from: number, lineAt: (i: number) => number): number {
  const end = text.indexOf(marker, from);
  if (end === -1) throw new XmlSyntaxError(`"${text.slice(from, from + 12)}..." is never closed`, lineAt(from));
  return end + marker.length;
}

/** The end of a start tag, skipping `>` inside quoted attribute values. */
function tagEnd(text: string, from: number, lineAt: (i: number) => number): number {
  let quote = '';
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  throw new XmlSyntaxError('start tag is never closed', lineAt(from));
}

/** Every `<Event>` element in a forest, at any depth (`<Events>` wrappers, Event Viewer exports). */
export function findEvents(roots: readonly XmlElement[]): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (element: XmlElement): void => {
    if (element.name === 'Event') found.push(element);
    else for (const c of element.children) if (typeof c !== 'string') visit(c);
  };
  roots.forEach(visit);
  return found;
}
