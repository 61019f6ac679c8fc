import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small AWS Secrets Manager endpoint for tests: the JSON 1.1 protocol's
 * GetSecretValue, and a SigV4 check computed here from the request as received
 * (canonical request, string to sign, derived key), so the SDK's signing is verified
 * rather than trusted.
 */
export interface FakeSecret {
  name: string;
  arn: string;
  versions: { id: string; stages: string[]; secretString?: string; secretBinary?: Buffer }[];
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

const signature = (request: IncomingMessage, body: Buffer, secretKey: string, parts: { date: string; region: string; service: string; signedHeaders: string[] }, amzDate: string) => {
  const [path = '/', query = ''] = (request.url ?? '/').split('?');
  const canonicalQuery = query.split('&').filter(Boolean).sort().join('&');
  const canonicalHeaders = parts.signedHeaders.map((name) => `${name}:${String(request.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [request.method, path, canonicalQuery, canonicalHeaders, parts.signedHeaders.join(';'), sha256(body)].join('\n');
  const scope = `${parts.date}/${parts.region}/${parts.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretKey}`, parts.date), parts.region), parts.service), 'aws4_request');
  return hmac(key, stringToSign).toString('hex');
};

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export const startFakeAws = async (credentials: { accessKeyId: string; secretAccessKey: string }, secrets: FakeSecret[]) => {
  const seen = { verified: 0, refused: 0, requests: [] as Record<string, unknown>[] };
  const fail = (response: ServerResponse, status: number, type: string, message: string) => {
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: type, message }));
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const match = AUTHORIZATION.exec(String(request.headers.authorization ?? ''));
      const amzDate = String(request.headers['x-amz-date'] ?? '');
      if (!match || !amzDate) {
        seen.refused += 1;
        return fail(response, 400, 'IncompleteSignature', 'missing or malformed Authorization');
      }
      const [, keyId, date = '', region = '', service = '', signedHeaders = '', given = ''] = match;
      if (keyId !== credentials.accessKeyId) {
        seen.refused += 1;
        return fail(response, 400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      }
      const headers = signedHeaders.split(';');
      const expected = signature(request, body, credentials.secretAccessKey, { date, region, service, signedHeaders: headers }, amzDate);
      const covered = ['host', 'x-amz-date', 'x-amz-target', 'content-type'].every((name) => headers.includes(name));
      if (service !== 'secretsmanager' || !covered || !amzDate.startsWith(date) || !timingSafeEqual(Buffer.from(expected), Buffer.from(given))) {
        seen.refused += 1;
        return fail(response, 400, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.');
      }
      seen.verified += 1;
      if (request.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue' || request.headers['content-type'] !== 'application/x-amz-json-1.1') {
        return fail(response, 400, 'InvalidAction', 'only GetSecretValue');
      }
      const input = JSON.parse(body.toString('utf8')) as { SecretId: string; VersionId?: string; VersionStage?: string };
      seen.requests.push({ ...input, region });
      const secret = secrets.find((candidate) => candidate.name === input.SecretId || candidate.arn === input.SecretId);
      const version = secret?.versions.find((candidate) =>
        input.VersionId ? candidate.id === input.VersionId : candidate.stages.includes(input.VersionStage ?? 'AWSCURRENT'),
      );
      if (!secret || !version) {
        return fail(response, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      }
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(
        JSON.stringify({
          ARN: secret.arn,
          Name: secret.name,
          VersionId: version.id,
          VersionStages: version.stages,
          CreatedDate: 1_700_000_000,
          ...(version.secretString === undefined ? {} : { SecretString: version.secretString }),
          ...(version.secretBinary === undefined ? {} : { SecretBinary: version.secretBinary.toString('base64') }),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};
