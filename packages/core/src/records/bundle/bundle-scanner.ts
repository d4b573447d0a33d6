import { ValidationError } from '../../kernel/errors.js';

/** What the scanner finds at the top level of a bundle, in file order. */
export type BundleEvent =
  /** A top-level member whose value is not an array (`format`, or a mistake), parsed. */
  | { type: 'field'; key: string; value: unknown }
  /** A top-level array begins. */
  | { type: 'list'; key: string }
  /** One element of the top-level array `key`, at `index`, parsed. */
  | { type: 'element'; key: string; index: number; value: unknown };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

// Where the scanner is in `{ "key": value | [element, …], … }`.
const START = 0;
const KEY_OR_END = 1; // after `{`
const KEY = 2; // after `,`
const COLON_NEXT = 3;
const VALUE = 4;
const ELEMENT_OR_END = 5; // after `[`
const ELEMENT = 6; // after `,` inside a list
const AFTER_ELEMENT = 7;
const AFTER_MEMBER = 8;
const DONE = 9;

const CONTAINER = 1;
const STRING = 2;
const SCALAR = 3;

/**
 * Splits a `teamstate.bundle/v1` document arriving in byte chunks into its top-level members and the elements of
 * its top-level arrays, each parsed on its own with `JSON.parse`: memory holds one element at a time, never the
 * document. Structural characters are ASCII, so the bytes of multi-byte UTF-8 characters never confuse it.
 * Malformed JSON is refused with the element's JSON path (or the byte offset at the top level).
 *
 * @example
 * const scanner = new BundleScanner()
 * for await (const chunk of createReadStream(file)) for (const event of scanner.push(chunk)) handle(event)
 * scanner.end()
 */
export class BundleScanner {
  #state = START;
  #consumed = 0; // bytes of earlier chunks
  #key = '';
  #index = 0;
  // The value being captured: its kind, nesting, string state, and its bytes from earlier chunks.
  #capture = 0;
  #depth = 0;
  #inString = false;
  #escape = false;
  #pieces: Uint8Array[] = [];
  #keyBytes: Uint8Array[] | undefined;
  readonly #decoder = new TextDecoder('utf-8', { fatal: false });

  /** Feeds the next chunk; returns the events it completes. */
  push(chunk: Uint8Array): BundleEvent[] {
    const events: BundleEvent[] = [];
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.#capture !== 0) {
        const end = this.#scanValue(chunk, i);
        if (end < 0) {
          this.#pieces.push(chunk.subarray(i));
          i = n;
          break;
        }
        this.#pieces.push(chunk.subarray(i, end));
        i = end;
        this.#finishValue(events);
        continue;
      }
      if (this.#keyBytes) {
        const end = this.#scanKey(chunk, i);
        if (end < 0) {
          this.#keyBytes.push(chunk.subarray(i));
          i = n;
          break;
        }
        this.#keyBytes.push(chunk.subarray(i, end));
        i = end;
        this.#key = this.#parse(this.#keyBytes, 'a key') as string;
        this.#keyBytes = undefined;
        this.#state = COLON_NEXT;
        continue;
      }
      const b = chunk[i]!;
      if (isSpace(b)) {
        i++;
        continue;
      }
      switch (this.#state) {
        case START:
          if (b !== OPEN_OBJECT) this.#fail(i, 'expected a JSON object (a bundle starts with "{")');
          this.#state = KEY_OR_END;
          i++;
          break;
        case KEY_OR_END:
        case KEY:
          if (b === CLOSE_OBJECT && this.#state === KEY_OR_END) {
            this.#state = DONE;
            i++;
          } else if (b === QUOTE) {
            this.#keyBytes = [];
            this.#inString = true;
            this.#escape = false;
            this.#keyBytes.push(chunk.subarray(i, i + 1));
            i++;
          } else this.#fail(i, 'expected a quoted key');
          break;
        case COLON_NEXT:
          if (b !== COLON) this.#fail(i, `expected ":" after "${this.#key}"`);
          this.#state = VALUE;
          i++;
          break;
        case VALUE:
          if (b === OPEN_ARRAY) {
            events.push({ type: 'list', key: this.#key });
            this.#index = 0;
            this.#state = ELEMENT_OR_END;
            i++;
          } else i = this.#startValue(chunk, i);
          break;
        case ELEMENT_OR_END:
        case ELEMENT:
          if (b === CLOSE_ARRAY && this.#state === ELEMENT_OR_END) {
            this.#state = AFTER_MEMBER;
            i++;
          } else if (b === CLOSE_ARRAY || b === COMMA) this.#fail(i, `expected an element of "${this.#key}"`);
          else i = this.#startValue(chunk, i);
          break;
        case AFTER_ELEMENT:
          if (b === COMMA) this.#state = ELEMENT;
          else if (b === CLOSE_ARRAY) this.#state = AFTER_MEMBER;
          else this.#fail(i, `expected "," or "]" after ${this.#key}[${this.#index - 1}]`);
          i++;
          break;
        case AFTER_MEMBER:
          if (b === COMMA) this.#state = KEY;
          else if (b === CLOSE_OBJECT) this.#state = DONE;
          else this.#fail(i, `expected "," or "}" after "${this.#key}"`);
          i++;
          break;
        default:
          this.#fail(i, 'unexpected data after the bundle');
      }
    }
    this.#consumed += n;
    return events;
  }

  /** Says the input ended; refuses a document cut short. */
  end(): BundleEvent[] {
    const events: BundleEvent[] = [];
    if (this.#capture === SCALAR) this.#finishValue(events);
    if (this.#state !== DONE || this.#capture !== 0 || this.#keyBytes)
      throw new ValidationError('invalid_bundle', 'The bundle', [
        { path: this.#where(), message: 'not valid JSON: the document ends too early (is the file complete?)' },
      ]);
    return events;
  }

  #where(): string {
    if (this.#state === ELEMENT || this.#state === ELEMENT_OR_END || this.#state === AFTER_ELEMENT) return `${this.#key}[${this.#index}]`;
    return this.#state === START ? '' : this.#key;
  }

  #fail(at: number, message: string): never {
    throw new ValidationError('invalid_bundle', 'The bundle', [
      { path: this.#where(), message: `not valid JSON at byte ${this.#consumed + at}: ${message}` },
    ]);
  }

  #startValue(chunk: Uint8Array, i: number): number {
    const b = chunk[i]!;
    this.#capture = b === OPEN_OBJECT || b === OPEN_ARRAY ? CONTAINER : b === QUOTE ? STRING : SCALAR;
    this.#depth = 0;
    this.#inString = false;
    this.#escape = false;
    this.#pieces = [];
    return i;
  }

  // Scans a value from `i`; returns the index just past its end, or -1 if it continues in the next chunk.
  #scanValue(chunk: Uint8Array, start: number): number {
    const n = chunk.length;
    const kind = this.#capture;
    if (kind === SCALAR) {
      for (let i = start; i < n; i++) {
        const b = chunk[i]!;
        if (b === COMMA || b === CLOSE_ARRAY || b === CLOSE_OBJECT || isSpace(b)) return i;
      }
      return -1;
    }
    let depth = this.#depth;
    let inString = this.#inString;
    let escaped = this.#escape;
    for (let i = start; i < n; i++) {
      const b = chunk[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) {
          inString = false;
          if (depth === 0) return i + 1;
        }
      } else if (b === QUOTE) {
        inString = true;
      } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) depth++;
      else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    this.#depth = depth;
    this.#inString = inString;
    this.#escape = escaped;
    return -1;
  }

  #scanKey(chunk: Uint8Array, start: number): number {
    for (let i = start; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.#escape) this.#escape = false;
      else if (b === BACKSLASH) this.#escape = true;
      else if (b === QUOTE) return i + 1;
    }
    return -1;
  }

  #finishValue(events: BundleEvent[]): void {
    const inList = this.#state === ELEMENT || this.#state === ELEMENT_OR_END;
    const value = this.#parse(this.#pieces, inList ? `${this.#key}[${this.#index}]` : `"${this.#key}"`, inList);
    this.#pieces = [];
    this.#capture = 0;
    if (inList) {
      events.push({ type: 'element', key: this.#key, index: this.#index++, value });
      this.#state = AFTER_ELEMENT;
    } else {
      events.push({ type: 'field', key: this.#key, value });
      this.#state = AFTER_MEMBER;
    }
  }

  #parse(pieces: Uint8Array[], what: string, inList = false): unknown {
    const text =
      pieces.length === 1
        ? this.#decoder.decode(pieces[0])
        : pieces.map((piece, i) => this.#decoder.decode(piece, { stream: i < pieces.length - 1 })).join('');
    try {
      return JSON.parse(text);
    } catch (error) {
      const path = inList ? `${this.#key}[${this.#index}]` : this.#state === VALUE ? this.#key : '';
      throw new ValidationError('invalid_bundle', 'The bundle', [
        { path, message: `not valid JSON in ${what}: ${(error as Error).message}` },
      ]);
    }
  }
}
