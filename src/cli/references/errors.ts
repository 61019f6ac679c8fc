/**
 * A reference that does not parse. `column` is 1-based and points at the fault in the
 * text as given (prefix included), so a caret can be drawn under it.
 */
export class ReferenceSyntaxError extends Error {
  constructor(
    readonly reference: string,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`invalid reference "${reference}" at column ${column}: ${reason}`);
    this.name = 'ReferenceSyntaxError';
  }

  /** The reference with a caret under the faulty character, for terminals. */
  pointer(): string {
    return `  ${this.reference}\n  ${' '.repeat(Math.max(0, this.column - 1))}^`;
  }
}
