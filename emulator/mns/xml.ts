/**
 * Just enough XML for MNS request bodies (`<Queue>`, `<Message>`, `<Messages>`, `<ReceiptHandles>`)
 * and responses. The parser is strict on purpose: `@alicloud/mns` interpolates message bodies
 * into XML without escaping, so `a<b` or a bare `&` reaches the server as broken XML, and MNS
 * answers MalformedXML. Accepting such documents would hide that bug from tests.
 * DTDs are refused outright, so no entity expansion can happen.
 */
interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's character data (entities decoded); whitespace between children included. */
  text: string;
}

class XmlSyntaxError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

const MNS_XMLNS = 'http://mns.aliyuncs.com/doc/v1/';
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const MAX_DEPTH = 32;
const NAME = /[A-Za-z_][A-Za-z0-9_.:-]*/y;
const ENTITY = /&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/y;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
// XML 1.0 Char production; lone surrogates are not in it, so they are refused too.
const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

// A function declaration (not an arrow) so TypeScript narrows after `if (...) fail(...)`.
function fail(message: string): never {
  throw new XmlSyntaxError(message);
}

const decodeEntities = (raw: string): string => {
  let out = '';
  let index = 0;
  for (;;) {
    const amp = raw.indexOf('&', index);
    if (amp === -1) return out + raw.slice(index);
    out += raw.slice(index, amp);
    ENTITY.lastIndex = amp;
    const match = ENTITY.exec(raw) ?? fail('a bare & must be written &amp;');
    const [, named, decimal, hex] = match;
    if (named !== undefined) {
      out += NAMED[named] ?? '';
    } else {
      const codePoint = Number.parseInt(decimal ?? hex ?? '', decimal === undefined ? 16 : 10);
      const char = codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : '\u0000';
      if (INVALID_CHAR.test(char)) fail('a character reference names a character XML forbids');
      out += char;
    }
    index = ENTITY.lastIndex;
  }
};

class Parser {
  private pos = 0;

  public constructor(private readonly src: string) {}

  public document(): XmlElement {
    if (INVALID_CHAR.test(this.src)) fail('the document contains a character XML forbids');
    if (this.src.startsWith('\uFEFF')) this.pos = 1;
    this.skipMisc();
    if (this.src[this.pos] !== '<') fail('expected a root element');
    const root = this.element(0);
    this.skipMisc();
    if (this.pos !== this.src.length) fail('unexpected content after the root element');
    return root;
  }

  private element(depth: number): XmlElement {
    if (depth > MAX_DEPTH) fail('elements are nested too deeply');
    this.expect('<');
    const name = this.name();
    const attributes: Record<string, string> = {};
    for (;;) {
      const spaced = this.skipSpace();
      if (this.src.startsWith('/>', this.pos)) {
        this.pos += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (this.src[this.pos] === '>') break;
      if (!spaced) fail(`expected whitespace or > in <${name}>`);
      const attribute = this.name();
      if (attribute in attributes) fail(`attribute ${attribute} is repeated`);
      this.skipSpace();
      this.expect('=');
      this.skipSpace();
      const quote = this.src[this.pos];
      if (quote !== '"' && quote !== "'") fail(`attribute ${attribute} is not quoted`);
      const end = this.src.indexOf(quote, this.pos + 1);
      const raw =
        end === -1
          ? fail(`attribute ${attribute} is not closed`)
          : this.src.slice(this.pos + 1, end);
      if (raw.includes('<')) fail(`attribute ${attribute} contains <`);
      attributes[attribute] = decodeEntities(raw);
      this.pos = end + 1;
    }
    this.pos += 1;
    return this.content(name, attributes, depth);
  }

  private content(name: string, attributes: Record<string, string>, depth: number): XmlElement {
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (this.pos >= this.src.length) fail(`<${name}> is not closed`);
      if (this.src.startsWith('</', this.pos)) {
        this.pos += 2;
        const closing = this.name();
        this.skipSpace();
        this.expect('>');
        if (closing !== name) fail(`</${closing}> does not close <${name}>`);
        return { name, attributes, children, text };
      }
      if (this.src.startsWith('<![CDATA[', this.pos)) {
        const end = this.indexOrFail(']]>', 'a CDATA section is not closed');
        text += this.src.slice(this.pos + 9, end);
        this.pos = end + 3;
      } else if (this.src.startsWith('<!--', this.pos) || this.src.startsWith('<?', this.pos)) {
        this.skipMisc();
      } else if (this.src.startsWith('<!', this.pos)) {
        fail('declarations are not accepted');
      } else if (this.src[this.pos] === '<') {
        children.push(this.element(depth + 1));
      } else {
        const end = this.indexOrFail('<', `<${name}> is not closed`);
        const raw = this.src.slice(this.pos, end);
        if (raw.includes(']]>')) fail(']]> is not allowed in text');
        text += decodeEntities(raw);
        this.pos = end;
      }
    }
  }

  /** Whitespace, comments and processing instructions (the XML declaration among them). */
  private skipMisc(): void {
    for (;;) {
      this.skipSpace();
      if (this.src.startsWith('<?', this.pos)) {
        this.pos = this.indexOrFail('?>', 'a processing instruction is not closed') + 2;
      } else if (this.src.startsWith('<!--', this.pos)) {
        this.pos = this.indexOrFail('-->', 'a comment is not closed') + 3;
      } else if (this.src.startsWith('<!', this.pos)) {
        fail('DTDs are not accepted');
      } else {
        return;
      }
    }
  }

  private skipSpace(): boolean {
    const start = this.pos;
    while (/[ \t\r\n]/.test(this.src[this.pos] ?? '')) this.pos += 1;
    return this.pos > start;
  }

  private name(): string {
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.src) ?? fail('expected an element or attribute name');
    this.pos = NAME.lastIndex;
    return match[0];
  }

  private expect(char: string): void {
    if (this.src[this.pos] !== char) fail(`expected ${char}`);
    this.pos += 1;
  }

  private indexOrFail(token: string, message: string): number {
    const index = this.src.indexOf(token, this.pos);
    return index === -1 ? fail(message) : index;
  }
}

/** Parses a whole document; throws XmlSyntaxError on anything that is not well-formed. */
const parseXml = (source: string): XmlElement => new Parser(source).document();

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

const childElements = (parent: XmlElement, name: string): XmlElement[] =>
  parent.children.filter((child) => localName(child.name) === name);

const childText = (parent: XmlElement, name: string): string | undefined =>
  childElements(parent, name)[0]?.text;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes all five XML specials, so values are safe in text and in attributes alike. */
const escapeXml = (value: string): string =>
  value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);

/** `<Name>value</Name>` for each defined field, values escaped. */
const renderFields = (fields: ReadonlyArray<readonly [string, string | number | undefined]>) =>
  fields
    .filter((field): field is readonly [string, string | number] => field[1] !== undefined)
    .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
    .join('');

/** A response document; only the root carries xmlns (the SDK's parser chokes on inner attributes). */
const renderDocument = (root: string, inner: string): string =>
  `${XML_DECLARATION}<${root} xmlns="${MNS_XMLNS}">${inner}</${root}>`;

export type { XmlElement };
export {
  childElements,
  childText,
  escapeXml,
  localName,
  MNS_XMLNS,
  parseXml,
  renderDocument,
  renderFields,
  XML_DECLARATION,
  XmlSyntaxError,
};
