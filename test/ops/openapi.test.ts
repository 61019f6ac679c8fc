import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { loadConfig } from '../../src/config/config.js';
import { startServer, type RunningServer } from '../../src/main.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Fastify's `/a/:id` as OpenAPI's `/a/{id}`. */
const openApiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * The document at /openapi.json, checked by a real OpenAPI 3.1 validator and against the
 * routes the server registers: a /coffer/v1 route missing from it, or a documented one
 * that does not exist, fails here. The server runs in this process so that its route
 * table can be read; requests still go over HTTP.
 */
describe('GET /openapi.json', () => {
  let server: RunningServer;
  let dataDir: string;
  let document: { openapi: string; paths: Record<string, Record<string, unknown>> };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'coffer-openapi-'));
    const config = loadConfig({
      COFFER_LISTEN: '127.0.0.1:0',
      COFFER_DATA_DIR: dataDir,
      COFFER_LOG_LEVEL: 'warn',
      COFFER_ROOT_ACCESS_KEY: 'SCWOPENAPITEST000001',
      COFFER_ROOT_SECRET_KEY: randomUUID(),
    });
    server = await startServer(config, () => {});
    const response = await fetch(`${server.url}/openapi.json`);
    assert.equal(response.status, 200);
    assert.match(String(response.headers.get('content-type')), /^application\/json/);
    document = (await response.json()) as typeof document;
  });
  after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    assert.equal(document.openapi, '3.1.0');
    const validator = new Validator();
    const result = await validator.validate(document as unknown as Parameters<Validator['validate']>[0]);
    assert.deepEqual(result.errors ?? [], [], JSON.stringify(result.errors, null, 1)?.slice(0, 2000));
    assert.equal(result.valid, true);
    // The validator does refuse a broken document: one whose operation has no responses.
    const broken = structuredClone(document) as { paths: Record<string, Record<string, Record<string, unknown>>> };
    const firstOperation = Object.values(Object.values(broken.paths)[0] ?? {})[0];
    assert.ok(firstOperation);
    firstOperation.responses = 'none';
    assert.equal((await new Validator().validate(broken as unknown as Parameters<Validator['validate']>[0])).valid, false);
  });

  it('documents every /coffer/v1 route the server registers, and nothing else', () => {
    const registered = new Set(
      server
        .routes()
        .filter((route) => route.url.startsWith('/coffer/v1'))
        .map((route) => `${route.method} ${openApiPath(route.url.replace(/\/$/, ''))}`),
    );
    assert.ok(registered.size >= 20, `the server registers its /coffer/v1 routes (${registered.size})`);
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, item]) =>
        Object.entries(item)
          // Routes that exist only on a server running the test clock.
          .filter(([key, operation]) => METHODS.includes(key) && !(operation as Record<string, unknown>)['x-coffer-test-clock-only'])
          .map(([key]) => key)
          .map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    assert.deepEqual([...registered].filter((route) => !documented.has(route)).sort(), [], 'routes missing from /openapi.json');
    assert.deepEqual([...documented].filter((route) => !registered.has(route)).sort(), [], 'documented routes the server does not have');
  });

  it('declares every path parameter it uses, and an error answer for each operation', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      for (const [method, operation] of Object.entries(item as Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>)) {
        const declared = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name);
        assert.deepEqual(declared.sort(), [...names].sort(), `${method} ${path}`);
        assert.ok(Object.keys(operation.responses).some((status) => status.startsWith('4')), `${method} ${path} documents its errors`);
      }
    }
  });
});
