import { CliError, EXIT } from '../errors.js';

/** A piece of a template: literal text, or a reference with where it was written. */
export type Part = { kind: 'text'; text: string } | { kind: 'reference'; reference: string; line: number; column: number };

const location = (text: string, offset: number): { line: number; column: number } => {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
};

/**
 * Splits a template on `{{ reference }}` placeholders (spaces inside the braces are
 * optional). `{{ "text" }}` writes a JSON string literal as is, which is how a literal
 * `{{` is written. Unenclosed references are left alone: they are too easy to match
 * by accident.
 */
export const parseTemplate = (text: string, file: string): Part[] => {
  const parts: Part[] = [];
  let position = 0;
  for (;;) {
    const open = text.indexOf('{{', position);
    if (open < 0) {
      parts.push({ kind: 'text', text: text.slice(position) });
      return parts;
    }
    parts.push({ kind: 'text', text: text.slice(position, open) });
    const inner = text.slice(open + 2);
    const literal = /^\s*("(?:[^"\\\n]|\\.)*")\s*\}\}/.exec(inner);
    if (literal?.[1]) {
      let value: string;
      try {
        value = JSON.parse(literal[1]) as string;
      } catch {
        const where = location(text, open);
        throw new CliError(`${file}:${where.line}:${where.column}: the string literal has an invalid escape`, EXIT.syntax);
      }
      parts.push({ kind: 'text', text: value });
      position = open + 2 + literal[0].length;
      continue;
    }
    const close = text.indexOf('}}', open + 2);
    const newline = text.indexOf('\n', open + 2);
    const where = location(text, open);
    if (close < 0 || (newline >= 0 && newline < close)) {
      throw new CliError(`${file}:${where.line}:${where.column}: "{{" is not closed by "}}" on the same line`, EXIT.syntax);
    }
    const reference = text.slice(open + 2, close).trim();
    if (reference === '') {
      throw new CliError(`${file}:${where.line}:${where.column}: empty placeholder`, EXIT.syntax);
    }
    parts.push({ kind: 'reference', reference, ...where });
    position = close + 2;
  }
};
