/**
 * A small JSON reader that remembers the line of every value, so that a
 * configuration error can name the line it is on. Standard JSON only
 * (RFC 8259), plus `//` line comments, which people put in config files.
 */

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${message}`);
    this.name = 'JsonSyntaxError';
  }
}

export interface Located {
  value: unknown;
  /** path ('sources.0.start.1', '' for the root) → 1-based line of the value */
  lines: Map<string, number>;
  /** path → line of the key naming the value (objects only) */
  keyLines: Map<string, number>;
}

export function parseJsonWithLines(text: string): Located {
  const lines = new Map<string, number>();
  const keyLines = new Map<string, number>();
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (msg: string): never => {
    throw new JsonSyntaxError(msg, line, i - lineStart + 1);
  };
  const ws = () => {
    for (;;) {
      const c = text[i];
      if (c === '\n') {
        line++;
        i++;
        lineStart = i;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\ufeff') i++;
      else if (c === '/' && text[i + 1] === '/') {
        while (i < text.length && text[i] !== '\n') i++;
      } else return;
    }
  };
  const str = (): string => {
    i++; // opening quote
    let out = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) fail('unterminated string');
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\n') fail('line break inside a string');
      if (c === '\\') {
        const e = text[i + 1];
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else if (e !== undefined && map[e] !== undefined) {
          out += map[e];
          i += 2;
        } else fail(`bad escape \\${e ?? ''}`);
      } else {
        out += c;
        i++;
      }
    }
  };
  const value = (path: string): unknown => {
    ws();
    lines.set(path, line);
    const c = text[i];
    const join = (k: string | number) => (path === '' ? String(k) : `${path}.${k}`);
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(text[i] === '}' ? 'trailing comma before }' : 'expected a "quoted" key');
        const keyLine = line;
        const k = str();
        ws();
        if (text[i] !== ':') fail(`expected ':' after "${k}"`);
        i++;
        if (Object.prototype.hasOwnProperty.call(obj, k)) fail(`"${k}" is given twice`);
        keyLines.set(join(k), keyLine);
        obj[k] = value(join(k));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        ws();
        if (text[i] === ']') fail('trailing comma before ]');
        arr.push(value(join(arr.length)));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) fail(c === undefined ? 'unexpected end of file' : `unexpected '${c}'`);
    i += m![0].length;
    const t = m![0];
    return t === 'true' ? true : t === 'false' ? false : t === 'null' ? null : Number(t);
  };
  const v = value('');
  ws();
  if (i < text.length) fail('unexpected text after the end of the document');
  return { value: v, lines, keyLines };
}

/** The line of a path, or of its nearest ancestor that has one (a missing key is reported at its parent). */
export function lineOf(loc: Pick<Located, 'lines' | 'keyLines'>, path: ReadonlyArray<PropertyKey>): number | undefined {
  const parts = path.map(String);
  for (let n = parts.length; n >= 0; n--) {
    const p = parts.slice(0, n).join('.');
    const l = loc.keyLines.get(p) ?? loc.lines.get(p);
    if (l !== undefined) return l;
  }
  return undefined;
}
