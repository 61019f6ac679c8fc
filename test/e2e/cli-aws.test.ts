import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakeAws } from '../cli/aws-fake.js';
import { cleanEnv, cofferResult, writeConfig } from '../cli/helpers.js';

const ARN = 'arn:aws:secretsmanager:eu-west-3:111122223333:secret:staging/aws/s3/bucket1-AbCdEf';
const CURRENT = '6f9a1a3e-1b2c-4d5e-8f90-123456789abc';
const PREVIOUS = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const CREDENTIALS = { accessKeyId: 'AKIAEXAMPLETEST00001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

/** aws:// through the real AWS SDK v3 against a local endpoint that verifies SigV4. */
describe('coffer get aws://', () => {
  let aws: Awaited<ReturnType<typeof startFakeAws>>;
  let env: Record<string, string>;

  before(async () => {
    aws = await startFakeAws(CREDENTIALS, [
      {
        name: 'staging/aws/s3/bucket1',
        arn: ARN,
        versions: [
          { id: CURRENT, stages: ['AWSCURRENT'], secretString: JSON.stringify({ access_key: 'aws-access-current', password: 'aws-password' }) },
          { id: PREVIOUS, stages: ['AWSPREVIOUS'], secretString: JSON.stringify({ access_key: 'aws-access-previous' }) },
        ],
      },
      { name: 'binary', arn: 'arn:aws:secretsmanager:eu-west-3:111122223333:secret:binary-XyZ', versions: [{ id: CURRENT, stages: ['AWSCURRENT'], secretBinary: Buffer.from('bytes-in-binary') }] },
    ]);
    const config = writeConfig({
      instances: {
        eu: { type: 'aws', region: 'eu-west-3', endpoint: aws.url, access_key_id: 'env:TEST_AWS_KEY_ID', secret_access_key: 'env:TEST_AWS_SECRET' },
        forged: { type: 'aws', region: 'eu-west-3', endpoint: aws.url, access_key_id: 'env:TEST_AWS_KEY_ID', secret_access_key: 'env:TEST_AWS_WRONG' },
      },
      defaults: { aws: 'eu' },
    });
    env = cleanEnv({ COFFER_CONFIG: config, TEST_AWS_KEY_ID: CREDENTIALS.accessKeyId, TEST_AWS_SECRET: CREDENTIALS.secretAccessKey, TEST_AWS_WRONG: 'not-the-secret' });
  });
  after(async () => aws.stop());

  const get = (reference: string, extra: Record<string, string> = {}, args: string[] = []) => cofferResult(['get', ...args, reference], { ...env, ...extra });

  it('reads by name, by ARN, by stage and by version id, every request correctly signed', async () => {
    const before = aws.seen.verified;
    assert.equal((await get('aws://staging/aws/s3/bucket1#access_key')).stdout, 'aws-access-current\n');
    assert.equal((await get(`aws://${ARN}#/password`)).stdout, 'aws-password\n');
    assert.equal((await get('aws://staging/aws/s3/bucket1@AWSPREVIOUS#access_key')).stdout, 'aws-access-previous\n');
    assert.equal((await get(`aws://staging/aws/s3/bucket1@${PREVIOUS}#access_key`)).stdout, 'aws-access-previous\n');
    assert.equal((await get(`ref+awssecrets://staging/aws/s3/bucket1?version_id=${CURRENT}#/access_key`)).stdout, 'aws-access-current\n');
    assert.equal((await get('aws://binary')).stdout, 'bytes-in-binary\n');
    assert.equal(aws.seen.verified - before, 6);
    const requests = aws.seen.requests.slice(-6);
    assert.deepEqual(requests.map((request) => [request.VersionStage, request.VersionId]), [
      ['AWSCURRENT', undefined],
      ['AWSCURRENT', undefined],
      ['AWSPREVIOUS', undefined],
      [undefined, PREVIOUS],
      [undefined, CURRENT],
      ['AWSCURRENT', undefined],
    ]);
    assert.ok(requests.every((request) => request.region === 'eu-west-3'));
  });

  it("reads Plakar's bare AWS handle given an instance", async () => {
    const result = await get('staging/aws/s3/bucket1#access_key', {}, ['--instance', 'eu']);
    assert.equal(result.stdout, 'aws-access-current\n', result.stderr);
  });

  it("takes the SDK's own environment when no instance is configured: region, keys, AWS_ENDPOINT_URL_SECRETS_MANAGER", async () => {
    const result = await cofferResult(
      ['get', 'aws://staging/aws/s3/bucket1?region=eu-west-3#access_key'],
      cleanEnv({ AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url }),
    );
    assert.equal(result.stdout, 'aws-access-current\n', result.stderr);
  });

  it('a wrong secret key fails the signature check: an authentication failure, exit 3', async () => {
    const refused = aws.seen.refused;
    const result = await get('aws://staging/aws/s3/bucket1?instance=forged#access_key');
    assert.equal(result.status, 3, result.stderr);
    assert.match(result.stderr, /aws:\/\/staging\/aws\/s3\/bucket1\?instance=forged#access_key: authentication failed \(InvalidSignatureException\)/);
    assert.ok(aws.seen.refused > refused);
  });

  it('a missing secret or stage is "not found", a missing field too, and no value is shown', async () => {
    for (const reference of ['aws://nothing#k', 'aws://staging/aws/s3/bucket1@AWSPENDING#k', 'aws://staging/aws/s3/bucket1#nope']) {
      const result = await get(reference);
      assert.equal(result.status, 5, `${reference}: ${result.stderr}`);
      assert.ok(!/aws-access|aws-password/.test(result.stderr));
    }
  });
});
