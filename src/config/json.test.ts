import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatJsonSyntaxError, parseJson } from './json.ts';

function errorOf(text: string) {
  const r = parseJson(text);
  if (r.ok) throw new Error(`expected a syntax error for ${text}`);
  return r.error;
}

describe('parseJson', () => {
  it('parses the same values as JSON.parse for arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (v, indent) => {
        const text = JSON.stringify(v, null, indent);
        const r = parseJson(text);
        expect(r.ok).toBe(true);
        if (r.ok) expect(JSON.stringify(r.value)).toBe(JSON.stringify(JSON.parse(text)));
      }),
    );
  });

  it('rejects whatever JSON.parse rejects', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        let native = true;
        try {
          JSON.parse(s);
        } catch {
          native = false;
        }
        // Only difference allowed: duplicate keys, which we refuse on purpose.
        const ours = parseJson(s);
        if (!native) expect(ours.ok).toBe(false);
      }),
    );
  });

  it('reports line and column of the problem', () => {
    const e = errorOf('{\n  "version": 1,\n  "endpoints": [,]\n}');
    expect(e.line).toBe(3);
    expect(e.column).toBe(17);
    expect(e.message).toMatch(/expected a value but found ','/);
    expect(formatJsonSyntaxError(e)).toBe("JSON syntax error at line 3, column 17: expected a value but found ','");
  });

  it.each([
    ['{"a": 1,}', /trailing comma/, 1, 8],
    ['[1, 2,]', /trailing comma/, 1, 6],
    ['{"a" 1}', /expected ':'/, 1, 6],
    ["{'a': 1}", /property name in double quotes/, 1, 2],
    ['{"a": 1', /expected ',' or '}' but found end of input/, 1, 8],
    ['"abc', /unterminated string/, 1, 1],
    ['{"a": "x\ny"}', /line break is not allowed inside a string/, 1, 9],
    ['{"a": 01}', /expected ',' or '}'/, 1, 8],
    ['{"a": 1} x', /after the JSON value/, 1, 10],
    ['', /expected a value but found end of input/, 1, 1],
    ['{"a": tru}', /expected a value/, 1, 7],
    ['{"a": "\\x"}', /invalid escape/, 1, 8],
  ])('%j → %s', (text, message, line, column) => {
    const e = errorOf(text);
    expect(e.message).toMatch(message);
    expect([e.line, e.column]).toEqual([line, column]);
  });

  it('refuses duplicate keys, which JSON.parse silently collapses', () => {
    const e = errorOf('{"version": 1,\n "version": 2}');
    expect(e.message).toBe('duplicate key "version"');
    expect(e.line).toBe(2);
  });

  it('keeps "__proto__" as plain data', () => {
    const r = parseJson('{"__proto__": {"polluted": true}}');
    expect(r.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (r.ok) expect(Object.keys(r.value as object)).toEqual(['__proto__']);
  });

  it('accepts a byte-order mark and surrounding whitespace', () => {
    expect(parseJson('\uFEFF  {"version": 1}\n')).toEqual({ ok: true, value: expect.objectContaining({ version: 1 }) });
  });

  it('stops at absurd nesting instead of overflowing the stack', () => {
    const e = errorOf('['.repeat(100_000));
    expect(e.message).toMatch(/nesting deeper/);
  });
});
