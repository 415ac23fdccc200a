/** Go encoding/json and text/tabwriter, as runc's output depends on them. */
import { describe, expect, test } from 'vitest';
import { goEncoderLine, goJson, goQuote, tabwrite } from '../../../src/runtime/oci/index.js';

describe('goQuote (HTML-safe, as Marshal and Encoder escape by default)', () => {
  test('escapes', () => {
    expect(goQuote('<a href="x">&</a>')).toBe('"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"');
    expect(goQuote('\b\f\n\r\t\\')).toBe('"\\b\\f\\n\\r\\t\\\\"');
    expect(goQuote('\u0001\u001f\u007f')).toBe('"\\u0001\\u001f\u007f"');
    expect(goQuote('\u2028\u2029')).toBe('"\\u2028\\u2029"');
    expect(goQuote('é😀/')).toBe('"é😀/"');
    expect(goQuote('\ud800x\udc00')).toBe('"\ufffdx\ufffd"');
  });
});

describe('goJson', () => {
  test('MarshalIndent layout, empty containers inline', () => {
    expect(goJson({ a: [], b: {}, c: [1, { d: null }] }, '  ')).toBe('{\n  "a": [],\n  "b": {},\n  "c": [\n    1,\n    {\n      "d": null\n    }\n  ]\n}');
    expect(goJson({ a: 1 }, '\t', '>')).toBe('{\n>\t"a": 1\n>}');
  });
  test('structs keep field order and skip undefined; maps sort by UTF-8 bytes', () => {
    expect(goJson({ z: 1, a: undefined, m: 2 })).toBe('{"z":1,"m":2}');
    // U+FFFF (EF BF BF) sorts before U+10000 (F0 90 80 80) in UTF-8, not in UTF-16.
    expect(goJson(new Map([['\u{10000}', 1], ['\uffff', 2], ['B', 3], ['a', 4]]))).toBe('{"B":3,"a":4,"\uffff":2,"\u{10000}":1}');
  });
  test('numbers: bigint for uint64, floats as Go prints them, no NaN', () => {
    expect(goJson([18446744073709551615n, 1.5, 1e21, 1e-7, 100])).toBe('[18446744073709551615,1.5,1e+21,1e-7,100]');
    expect(() => goJson(NaN)).toThrow(RangeError);
  });
  test('Encoder adds one newline', () => {
    expect(goEncoderLine(null)).toBe('null\n');
  });
});

describe('tabwrite (Go text/tabwriter, left-aligned)', () => {
  test('column blocks end at a line without that column (the Go docs "elastic" example)', () => {
    expect(tabwrite('a\tb\tc\naa\tbb\tcc\naaa\t\naaaa\tdddd\teeee\n', { minwidth: 0, padding: 1, padchar: '.' })).toBe(
      'a....b..c\naa...bb.cc\naaa..\naaaa.dddd.eeee\n',
    );
  });
  test('a cell without a trailing tab is not aligned (the Go docs "trailing tab" example)', () => {
    expect(tabwrite('a\tb\taligned\t\naa\tbb\taligned\t\naaa\tbbb\tunaligned\naaaa\tbbbb\taligned\t\n', { minwidth: 0, padding: 3, padchar: '-' })).toBe(
      'a------b------aligned---\naa-----bb-----aligned---\naaa----bbb----unaligned\naaaa---bbbb---aligned---\n',
    );
  });
  test('widths count code points; text after the last newline is flushed as is', () => {
    expect(tabwrite('é\tx\nab\ty\ntail', { minwidth: 0, padding: 1, padchar: ' ' })).toBe('é  x\nab y\ntail');
  });
});
