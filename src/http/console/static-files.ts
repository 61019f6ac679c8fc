import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The console's build output, the same from `src/` (tsx) and from `dist/` (compiled): three folders up. */
export const CONSOLE_BUILD_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', 'web', 'dist');

/**
 * No inline script, no script from elsewhere, no framing: a value that leaks into the
 * page cannot run, and the console cannot be clickjacked.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

interface StaticFile {
  body: Buffer;
  type: string;
}

/** Reads the whole build once: a few hundred KiB, and no path from a URL ever reaches the file system. */
const loadBuild = (dir: string): Map<string, StaticFile> => {
  const files = new Map<string, StaticFile>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) {
        walk(path);
      } else {
        files.set(relative(dir, path).split(sep).join('/'), { body: readFileSync(path), type: TYPES[extname(entry)] ?? 'application/octet-stream' });
      }
    }
  };
  if (existsSync(join(dir, 'index.html'))) {
    walk(dir);
  }
  return files;
};

const securityHeaders = (reply: FastifyReply): FastifyReply =>
  reply
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('cross-origin-opener-policy', 'same-origin');

const NOT_BUILT = '<!doctype html><title>Coffer console</title><p>The console has not been built: run <code>npm run build</code>.</p>';

/** Serves the single-page app at /console: hashed assets cached for good, every other path gets index.html. */
export const registerConsoleFiles = (app: FastifyInstance, dir = CONSOLE_BUILD_DIR): void => {
  const files = loadBuild(dir);
  const index = files.get('index.html');

  const serve = async (path: string, reply: FastifyReply): Promise<FastifyReply> => {
    securityHeaders(reply);
    const file = files.get(path);
    if (file && path !== 'index.html') {
      const immutable = path.startsWith('assets/');
      return reply.type(file.type).header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache').send(file.body);
    }
    // A missing asset is a 404; anything else is a route of the app.
    if (path.startsWith('assets/') || !index) {
      return reply.code(index ? 404 : 503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(index ? 'not found' : NOT_BUILT);
    }
    return reply.type(index.type).header('cache-control', 'no-cache').send(index.body);
  };
  // The router ignores trailing slashes, so /console and /console/ are this one route.
  app.get('/console', async (_request, reply) => serve('', reply));
  app.get('/console/*', async (request, reply) => serve((request.params as { '*'?: string })['*'] ?? '', reply));
};
