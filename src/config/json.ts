/**
 * A strict JSON parser that reports where it failed (offset, line, column). Node's JSON.parse
 * does not always say where ("Unexpected token '}', ... is not valid JSON"), and a user editing
 * a config file needs the line. It also refuses duplicate keys, which JSON.parse silently
 * resolves to the last one, hiding mistakes. Accepts exactly RFC 8259 JSON, plus a leading BOM.
 */
import { CONFIG_POLICY } from '../policy/config.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface JsonSyntaxError {
  message: string;
  /** 0-based character offset into the text. */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
}

export type JsonParseResult = { ok: true; value: JsonValue } | { ok: false; error: JsonSyntaxError };


class Fail extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function describeChar(ch: string | undefined): string {
  if (ch === undefined) return 'end of input';
  if (ch === '\n') return 'a line break';
  if (ch < ' ') return `control character U+${ch.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`;
  return `'${ch}'`;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function parseJson(text: string): JsonParseResult {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else return;
    }
  };
  const expected = (what: string): never => {
    throw new Fail(`expected ${what} but found ${describeChar(text[pos])}`, pos);
  };

  const parseString = (): string => {
    const start = pos;
    pos++; // opening quote
    let out = '';
    let chunk = pos;
    for (;;) {
      if (pos >= text.length) throw new Fail('unterminated string', start);
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        out += text.slice(chunk, pos);
        pos++;
        return out;
      }
      if (c < 0x20) throw new Fail(`${describeChar(text[pos])} is not allowed inside a string (escape it)`, pos);
      if (c === 0x5c) {
        out += text.slice(chunk, pos);
        const e = text[pos + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && Object.prototype.hasOwnProperty.call(simple, e)) {
          out += simple[e];
          pos += 2;
        } else if (e === 'u') {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Fail('invalid \\u escape (needs 4 hex digits)', pos);
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
        } else {
          throw new Fail(`invalid escape \\${e ?? ''}`, pos);
        }
        chunk = pos;
        continue;
      }
      pos++;
    }
  };

  const parseNumber = (): number => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(pos, pos + 400));
    if (!m || m[0] === '-') expected('a value');
    const raw = (m as RegExpExecArray)[0];
    pos += raw.length;
    return Number(raw);
  };

  const parseValue = (depth: number): JsonValue => {
    if (depth > CONFIG_POLICY.maxJsonDepth) throw new Fail(`nesting deeper than ${CONFIG_POLICY.maxJsonDepth} levels`, pos);
    ws();
    const ch = text[pos];
    switch (ch) {
      case '{': {
        pos++;
        // A null-prototype object: keys such as "__proto__" stay plain data.
        const obj: { [key: string]: JsonValue } = Object.create(null) as { [key: string]: JsonValue };
        ws();
        if (text[pos] === '}') {
          pos++;
          return obj;
        }
        for (;;) {
          ws();
          if (text[pos] !== '"') expected(`a property name in double quotes`);
          const keyAt = pos;
          const key = parseString();
          if (Object.prototype.hasOwnProperty.call(obj, key)) throw new Fail(`duplicate key "${key}"`, keyAt);
          ws();
          if (text[pos] !== ':') expected(`':' after property name`);
          pos++;
          obj[key] = parseValue(depth + 1);
          ws();
          if (text[pos] === ',') {
            const commaAt = pos;
            pos++;
            ws();
            if (text[pos] === '}') throw new Fail('trailing comma before }', commaAt);
            continue;
          }
          if (text[pos] === '}') {
            pos++;
            return obj;
          }
          expected(`',' or '}'`);
        }
      }
      // eslint-disable-next-line no-fallthrough -- the loop above always returns or throws
      case '[': {
        pos++;
        const arr: JsonValue[] = [];
        ws();
        if (text[pos] === ']') {
          pos++;
          return arr;
        }
        for (;;) {
          arr.push(parseValue(depth + 1));
          ws();
          if (text[pos] === ',') {
            const commaAt = pos;
            pos++;
            ws();
            if (text[pos] === ']') throw new Fail('trailing comma before ]', commaAt);
            continue;
          }
          if (text[pos] === ']') {
            pos++;
            return arr;
          }
          expected(`',' or ']'`);
        }
      }
      // eslint-disable-next-line no-fallthrough
      case '"':
        return parseString();
      case 't':
        if (text.startsWith('true', pos)) return (pos += 4), true;
        return expected('a value');
      case 'f':
        if (text.startsWith('false', pos)) return (pos += 5), false;
        return expected('a value');
      case 'n':
        if (text.startsWith('null', pos)) return (pos += 4), null;
        return expected('a value');
      default:
        if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return parseNumber();
        return expected('a value');
    }
  };

  try {
    const value = parseValue(0);
    ws();
    if (pos < text.length) throw new Fail(`unexpected ${describeChar(text[pos])} after the JSON value`, pos);
    return { ok: true, value };
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    return { ok: false, error: { message: e.message, offset: e.offset, ...lineColumn(text, e.offset) } };
  }
}

export function formatJsonSyntaxError(e: JsonSyntaxError): string {
  return `JSON syntax error at line ${e.line}, column ${e.column}: ${e.message}`;
}
