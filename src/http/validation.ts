import type { z } from 'zod';
import { AppError, type FieldProblem } from '../shared/errors.js';

const reasonFor = (code: string): FieldProblem['reason'] =>
  code === 'invalid_type' ? 'format' : code === 'too_big' || code === 'too_small' ? 'constraint' : 'format';

/** Parses wire input with a zod schema; failures become `invalid_argument` naming each field. */
export const parseWith = <T extends z.ZodType>(schema: T, input: unknown, root = 'body'): z.output<T> => {
  const result = schema.safeParse(input);
  if (result.success) {
    return result.data;
  }
  const problems: FieldProblem[] = result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : root;
    const missing = issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined;
    return {
      field: path,
      reason: missing ? 'required' : reasonFor(issue.code),
      message: missing ? `${path} is required` : `${path}: ${issue.message}`,
    };
  });
  return failWith(problems);
};

const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (current, key) => (typeof current === 'object' && current !== null ? (current as Record<PropertyKey, unknown>)[key] : undefined),
    input,
  );

const failWith = (problems: FieldProblem[]): never => {
  throw new AppError('invalid_argument', problems.map((problem) => problem.message).join('; '), { problems });
};
