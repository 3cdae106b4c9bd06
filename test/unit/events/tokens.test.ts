import { describe, expect, it } from 'vitest';
import { BinXmlError, ChunkBinXml } from '../../../src/protocol/evtx/binxml.js';
import { toXml } from '../../../src/protocol/evtx/record.js';
import type { XmlElement } from '../../../src/protocol/evtx/binxml.js';

/** Builds BinXML by hand, token by token ([MS-EVEN6] 3.1.4.7 grammar, EVTX flavour with name offsets). */
class Tokens {
  bytes: number[] = [];
  private u16(v: number): void {
    this.bytes.push(v & 0xff, v >> 8);
  }
  private u32(v: number): void {
    this.bytes.push(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
  }
  private utf16(text: string): void {
    for (const c of text) this.u16(c.charCodeAt(0));
  }
  /** An inline name: offset pointing right after itself, then next offset, hash, length, text, NUL. */
  private name(text: string): void {
    this.u32(this.bytes.length + 4);
    this.u32(0);
    this.u16(0);
    this.u16(text.length);
    this.utf16(text);
    this.u16(0);
  }
  fragment(): this {
    this.bytes.push(0x0f, 0x01, 0x01, 0x00);
    return this;
  }
  open(name: string, attributes: [string, string][] = []): this {
    this.bytes.push(attributes.length > 0 ? 0x41 : 0x01);
    this.u16(0xffff);
    this.u32(0);
    this.name(name);
    if (attributes.length > 0) this.u32(0);
    attributes.forEach(([n, v], i) => {
      this.bytes.push(i < attributes.length - 1 ? 0x46 : 0x06);
      this.name(n);
      this.value(v);
    });
    this.bytes.push(0x02);
    return this;
  }
  value(text: string): this {
    this.bytes.push(0x05, 0x01);
    this.u16(text.length);
    this.utf16(text);
    return this;
  }
  charRef(code: number): this {
    this.bytes.push(0x08);
    this.u16(code);
    return this;
  }
  entityRef(name: string): this {
    this.bytes.push(0x09);
    this.name(name);
    return this;
  }
  cdata(text: string): this {
    this.bytes.push(0x07);
    this.u16(text.length);
    this.utf16(text);
    return this;
  }
  close(): this {
    this.bytes.push(0x04);
    return this;
  }
  end(): Buffer {
    this.bytes.push(0x00);
    return Buffer.from(this.bytes);
  }
}

function render(bytes: Buffer): XmlElement {
  const binxml = new ChunkBinXml(bytes);
  return binxml.render(binxml.compileFragment(0, bytes.length))[0] as XmlElement;
}

describe('BinXML tokens without a template', () => {
  it('value text, character and entity references and CDATA become the element text', () => {
    const bytes = new Tokens()
      .fragment()
      .open('Data', [['Name', 'PluginInput']])
      .value('a')
      .charRef(0x3c)
      .entityRef('amp')
      .cdata('b>c')
      .entityRef('quot')
      .close()
      .end();
    const element = render(bytes);
    expect(element).toEqual({
      name: 'Data',
      attributes: [['Name', 'PluginInput']],
      children: ['a', '<', '&', 'b>c', '"'],
    });
    expect(toXml(element)).toBe('<Data Name="PluginInput">a&lt;&amp;b&gt;c&quot;</Data>');
  });

  it('nested elements and attribute values written as value tokens', () => {
    const bytes = new Tokens()
      .fragment()
      .open('Event', [['xmlns', 'urn:x']])
      .open('System')
      .open('EventID')
      .value('8')
      .close()
      .close()
      .close()
      .end();
    expect(toXml(render(bytes))).toBe(
      '<Event xmlns="urn:x">\n  <System>\n    <EventID>8</EventID>\n  </System>\n</Event>',
    );
  });

  it('an element left open at the end of its data is an error with its offset', () => {
    const bytes = new Tokens().fragment().open('Event').value('x').end();
    expect(() => render(bytes)).toThrow(BinXmlError);
    expect(() => render(bytes)).toThrow(/end of stream inside an open element at chunk offset 0x/);
  });
});
