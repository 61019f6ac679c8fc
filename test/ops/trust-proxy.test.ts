import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';

/** The source address the audit trail recorded for a request sent through a "proxy" header. */
const recordedSource = async (server: TestServer): Promise<string> => {
  const response = await fetch(`${server.url}/coffer/v1/whoami`, { headers: { 'x-auth-token': server.secretKey, 'x-forwarded-for': '203.0.113.7' } });
  assert.equal(response.status, 200);
  const requestId = response.headers.get('x-request-id') ?? '';
  const search = await fetch(`${server.url}/coffer/v1/audit/events?request_id=${requestId}`, { headers: { 'x-auth-token': server.secretKey } });
  const events = ((await search.json()) as { events: { source_ip: string }[] }).events;
  assert.equal(events.length, 1);
  return events[0]?.source_ip ?? '';
};

describe('COFFER_TRUST_PROXY', () => {
  it('takes the client address from X-Forwarded-For only when the peer is a trusted proxy', async () => {
    const trusting = await startServer({ env: { COFFER_TRUST_PROXY: '127.0.0.1/32, ::1' } });
    const plain = await startServer();
    try {
      assert.equal(await recordedSource(trusting), '203.0.113.7');
      assert.equal(await recordedSource(plain), '127.0.0.1', 'a client cannot choose its recorded address');
    } finally {
      await trusting.stop();
      await plain.stop();
    }
  });

  it('refuses an entry that is not an address or a range', async () => {
    const refused = await startServer({ env: { COFFER_TRUST_PROXY: 'proxy.example' } }).then(
      async (server) => {
        await server.stop();
        return '';
      },
      (error: unknown) => String(error),
    );
    assert.match(refused, /COFFER_TRUST_PROXY: each entry is an IP address or a CIDR range/);
  });
});
