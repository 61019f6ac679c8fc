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
    const field = issue.path.length > 0 ? issue.path.join('.') : root;
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    return {
      field,
      reason: missing ? 'required' : reasonFor(issue.code),
      message: missing ? `${field} is required` : `${field}: ${issue.message}`,
    };
  });
  return failWith(problems);
};

const failWith = (problems: FieldProblem[]): never => {
  throw new AppError('invalid_argument', problems.map((problem) => problem.message).join('; '), { problems });
};
