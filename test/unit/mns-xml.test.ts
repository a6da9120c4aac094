import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  childElements,
  childText,
  escapeXml,
  parseXml,
  renderDocument,
  renderFields,
  XmlSyntaxError,
} from '../../emulator/mns/xml.js';

// What @alicloud/mns 1.2.0 sends for sendMessage (helper.js toXMLBuffer), byte for byte.
const SDK_SEND =
  '<?xml version="1.0" encoding="UTF-8"?><Message xmlns="http://mns.aliyuncs.com/doc/v1/">' +
  '<MessageBody>eyJ2IjoxfQ==</MessageBody><DelaySeconds>0</DelaySeconds></Message>';

// Characters XML 1.0 can carry (no C0 controls but tab, CR, LF; no lone surrogates).
const xmlText = fc
  .string({ unit: 'grapheme' })
  .filter((text) => !/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(text));

describe('MNS emulator XML parser', () => {
  it('reads the documents the SDK sends', () => {
    const message = parseXml(SDK_SEND);
    expect(message.name).toBe('Message');
    expect(message.attributes.xmlns).toBe('http://mns.aliyuncs.com/doc/v1/');
    expect(childText(message, 'MessageBody')).toBe('eyJ2IjoxfQ==');
    expect(childText(message, 'DelaySeconds')).toBe('0');
    expect(childText(message, 'Priority')).toBeUndefined();
  });

  it('reads repeated children, whitespace, comments, CDATA and every entity form', () => {
    const handles = parseXml(
      '<?xml version="1.0"?>\n<!-- c --><ReceiptHandles>\n  <ReceiptHandle>a&amp;b</ReceiptHandle>\n' +
        '  <ReceiptHandle><![CDATA[<raw>]]>&#65;&#x42;&lt;&gt;&quot;&apos;</ReceiptHandle>\n</ReceiptHandles>\n',
    );
    expect(childElements(handles, 'ReceiptHandle').map((element) => element.text)).toEqual([
      'a&b',
      `<raw>AB<>"'`,
    ]);
  });

  it.each([
    ['an unescaped < in a body (what the SDK sends for a<b)', '<M><B>a<b</B></M>'],
    ['a bare & (what the SDK sends for a & b)', '<M><B>a & b</B></M>'],
    ['an unknown entity', '<M>&nbsp;</M>'],
    ['mismatched tags', '<M><B></M></B>'],
    ['an unclosed root', '<M><B>x</B>'],
    ['content after the root', '<M/><N/>'],
    ['text before the root', 'x<M/>'],
    ['an empty document', ''],
    ['a DTD (no entity expansion, ever)', '<!DOCTYPE M [<!ENTITY x "y">]><M>&x;</M>'],
    ['a forbidden control character', '<M>\u0001</M>'],
    ['a reference to a forbidden character', '<M>&#0;</M>'],
    ['an unquoted attribute', '<M a=1/>'],
    ['a repeated attribute', '<M a="1" a="2"/>'],
    ['nesting deeper than any MNS document', `${'<a>'.repeat(40)}${'</a>'.repeat(40)}`],
  ])('rejects %s', (_name, source) => {
    expect(() => parseXml(source)).toThrow(XmlSyntaxError);
  });

  it('round-trips any XML-legal text through escapeXml', () => {
    fc.assert(
      fc.property(xmlText, (text) => {
        expect(parseXml(`<B>${escapeXml(text)}</B>`).text).toBe(text);
      }),
    );
  });

  it('renders response documents with xmlns on the root only and every value escaped', () => {
    const document = renderDocument(
      'Message',
      renderFields([
        ['MessageBody', '<a & "b">'],
        ['FirstDequeueTime', undefined],
        ['DequeueCount', 2],
      ]),
    );
    expect(document).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Message xmlns="http://mns.aliyuncs.com/doc/v1/">' +
        '<MessageBody>&lt;a &amp; &quot;b&quot;&gt;</MessageBody><DequeueCount>2</DequeueCount></Message>',
    );
  });
});
