import type { FastifyInstance } from 'fastify';
import { BodyError } from '../app.js';

/**
 * A form body as Vault reads it: each field once, a repeated field joined with commas
 * (which comma-list fields such as `versions` accept). `curl -d max_versions=3` sends this.
 */
export const parseFormBody = (text: string): Record<string, string> => {
  const form = new URLSearchParams(text);
  return Object.fromEntries([...new Set(form.keys())].map((key) => [key, form.getAll(key).join(',')]));
};

/**
 * Vault takes `application/x-www-form-urlencoded` bodies as forms, unless they start
 * like JSON: `curl -d '{"data":…}'` labels JSON as a form.
 */
export const registerFormBodyParser = (app: FastifyInstance): void => {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body.trim() : body.toString('utf8').trim();
    if (text === '') {
      done(null, undefined);
      return;
    }
    if (!text.startsWith('{') && !text.startsWith('[')) {
      done(null, parseFormBody(text));
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new BodyError(400, 'the request body is not valid JSON'), undefined);
    }
  });
};
