import type { Clock } from '../../shared/clock.js';
import { fullSecretPath } from '../iam/index.js';
import type { Secret } from '../secrets/index.js';
import { failed, type AttemptOutcome } from './attempt-outcome.js';
import type { WebhookSpec } from './rotation-model.js';
import type { WebhookTransport } from './webhook-client.js';
import { signatureOf } from './webhook-signing.js';

export interface WebhookCall {
  secret: Secret;
  webhook: WebhookSpec;
  signingSecret: string;
  rotationId: string;
  attempt: number;
  currentRevision: number | null;
}

export type WebhookResult =
  | { kind: 'value'; data: Uint8Array }
  | { kind: 'rotated_by_receiver' }
  | { kind: 'failed'; outcome: AttemptOutcome };

/** Statuses worth trying again: the receiver is busy or broken for now, not refusing. */
const RETRYABLE = (status: number): boolean => status === 408 || status === 425 || status === 429 || status >= 500;

/** What the receiver learns: where the secret is and which rotation this is; never a payload. */
export const webhookBody = (call: WebhookCall): string =>
  JSON.stringify({
    rotation_id: call.rotationId,
    attempt: call.attempt,
    secret_id: call.secret.id,
    name: call.secret.name,
    path: call.secret.path,
    full_path: fullSecretPath(call.secret.path, call.secret.name),
    type: call.secret.type,
    project_id: call.secret.projectId,
    region: call.secret.region,
    current_revision: call.currentRevision,
  });

const valueOf = (body: string): Uint8Array | null => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || !('value' in parsed)) {
    return null;
  }
  const { value } = parsed;
  if (typeof value === 'string') {
    return Buffer.from(value, 'utf8');
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Buffer.from(JSON.stringify(value), 'utf8') : null;
};

/**
 * POSTs the signed request. 200 with `{"value": …}` hands back the new value; 202 or 204
 * means the receiver rotated the secret itself through the API.
 */
export const callWebhook = async (transport: WebhookTransport, clock: Clock, call: WebhookCall): Promise<WebhookResult> => {
  const body = webhookBody(call);
  const timestamp = String(Math.floor(clock.nowMicros() / 1_000_000));
  const reply = await transport.post(
    call.webhook.url,
    {
      'content-type': 'application/json',
      'user-agent': 'coffer-rotation/1',
      'x-coffer-timestamp': timestamp,
      'x-coffer-signature': signatureOf(call.signingSecret, timestamp, body),
      'idempotency-key': call.rotationId,
      'x-coffer-rotation-id': call.rotationId,
    },
    body,
    call.webhook.timeoutSeconds,
  );
  if (reply.kind === 'unreachable') {
    return { kind: 'failed', outcome: failed('webhook_unreachable', `the webhook could not be reached: ${reply.message}`, true) };
  }
  if (reply.status === 202 || reply.status === 204) {
    return { kind: 'rotated_by_receiver' };
  }
  if (reply.status === 200) {
    const data = valueOf(reply.body);
    return data === null
      ? { kind: 'failed', outcome: failed('webhook_invalid_reply', 'the webhook answered 200 without a JSON body {"value": <string or object>}', false) }
      : { kind: 'value', data };
  }
  return { kind: 'failed', outcome: failed('webhook_status', `the webhook answered HTTP ${reply.status}`, RETRYABLE(reply.status)) };
};
