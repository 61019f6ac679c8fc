import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseListRequest } from './list-verb.js';

const packet = (text: string) => Buffer.from(text.replaceAll('\n', '\r\n'), 'latin1');

test('reads a LIST request as GET ?list=true with its headers', () => {
  assert.deepEqual(parseListRequest(packet('LIST /v1/secret/metadata/app HTTP/1.1\nHost: x\nX-Vault-Token: t\n\n')), {
    url: '/v1/secret/metadata/app?list=true',
    headers: { host: 'x', 'x-vault-token': 't' },
  });
  assert.equal(parseListRequest(packet('LIST /v1/secret/metadata?after=a HTTP/1.0\n\n'))?.url, '/v1/secret/metadata?after=a&list=true');
  assert.equal(parseListRequest(packet('LIST /v1/secret/metadata HTTP/1.1\nContent-Length: 0\n\n'))?.url, '/v1/secret/metadata?list=true');
});

test('the verb decides: a list parameter the client gave is replaced', () => {
  assert.equal(parseListRequest(packet('LIST /v1/secret/metadata?list=false&x=1 HTTP/1.1\n\n'))?.url, '/v1/secret/metadata?x=1&list=true');
  assert.equal(parseListRequest(packet('LIST /v1/secret/metadata?%6Cist=0 HTTP/1.1\n\n'))?.url, '/v1/secret/metadata?list=true');
});

test('refuses what it cannot answer without the HTTP parser', () => {
  assert.equal(parseListRequest(packet('LIST /v1/secret/metadata HTTP/1.1\nHost: x\n')), null, 'headers cut short');
  assert.equal(parseListRequest(packet('LIST /v1/secret/metadata HTTP/1.1\nContent-Length: 2\n\n{}')), null, 'a body');
  assert.equal(parseListRequest(packet('LIST /v1/secret/metadata HTTP/1.1\nTransfer-Encoding: chunked\n\n')), null, 'a chunked body');
  assert.equal(parseListRequest(packet('LISTEN /v1/secret HTTP/1.1\n\n')), null, 'another verb');
  assert.equal(parseListRequest(packet('LIST /v1/secret HTTP/2\n\n')), null, 'another protocol');
  assert.equal(parseListRequest(packet('LIST /v1/secret HTTP/1.1\nno colon here\n\n')), null, 'a malformed header');
});
