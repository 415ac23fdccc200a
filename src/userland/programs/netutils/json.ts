/**
 * iproute2's JSON output (`ip -j`, `bridge -j`, and `-p` for pretty), written as its
 * lib/json_writer.c writes it: compact `[{"ifindex":1,…}]`, or pretty with four-space
 * indentation where arrays stay on the line they open (`"flags": [ "UP","LOWER_UP" ]`,
 * `[ {` … `} ]`). The whole document ends with one newline (jsonw_destroy).
 *
 * Programs build plain values — objects keep their key order — and serialize them here.
 */

/** A JSON value in the order iproute2 prints its members. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined };

/** The json_writer state machine: nesting depth and the separator owed before the next item. */
class JsonWriter {
  private out = '';
  private depth = 0;
  private sep = '';

  constructor(private readonly pretty: boolean) {}

  private eol(): void {
    if (this.pretty) this.out += '\n' + '    '.repeat(this.depth);
  }

  private eor(): void {
    this.out += this.sep;
    this.sep = ',';
  }

  private begin(c: string): void {
    this.eor();
    this.out += c;
    this.depth++;
    this.sep = '';
  }

  private end(c: string): void {
    this.depth--;
    if (this.sep !== '') this.eol();
    this.out += c;
    this.sep = ',';
  }

  private name(key: string): void {
    this.eor();
    this.eol();
    this.sep = '';
    this.out += JSON.stringify(key) + ':' + (this.pretty ? ' ' : '');
  }

  value(v: JsonValue): void {
    if (Array.isArray(v)) {
      this.begin('[');
      if (this.pretty) this.out += ' ';
      for (const item of v) this.value(item);
      if (this.pretty && this.sep !== '') this.out += ' ';
      this.sep = '';
      this.end(']');
    } else if (v !== null && typeof v === 'object') {
      this.begin('{');
      for (const [k, item] of Object.entries(v)) {
        if (item === undefined) continue;
        this.name(k);
        this.value(item);
      }
      this.end('}');
    } else {
      this.eor();
      this.out += typeof v === 'string' ? quote(v) : String(v);
    }
  }

  text(): string {
    return this.out + '\n';
  }
}

/** jsonw_puts: only \t \n \r \f \b \\ and " are escaped (other bytes go out as they are). */
function quote(s: string): string {
  return '"' + s.replace(/[\t\n\r\f\b\\"]/g, (c) => ({ '\t': '\\t', '\n': '\\n', '\r': '\\r', '\f': '\\f', '\b': '\\b', '\\': '\\\\', '"': '\\"' })[c] ?? c) + '"';
}

/** The text of a whole JSON document, newline-terminated. */
export function jsonText(doc: JsonValue, pretty: boolean): string {
  const w = new JsonWriter(pretty);
  w.value(doc);
  return w.text();
}
