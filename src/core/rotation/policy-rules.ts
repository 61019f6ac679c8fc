import { invalidField } from '../../shared/errors.js';
import { MAX_INTERVAL_SECONDS, MIN_INTERVAL_SECONDS, PASSWORD_CLASSES, type GeneratorSpec, type RotationMethod, type WebhookSpec } from './rotation-model.js';

const within = (field: string, value: number, min: number, max: number): void => {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidField(field, 'constraint', `${field} must be a whole number from ${min} to ${max}`);
  }
};

export const validateInterval = (seconds: number): number => {
  if (!Number.isInteger(seconds) || seconds < MIN_INTERVAL_SECONDS || seconds > MAX_INTERVAL_SECONDS) {
    throw invalidField('interval', 'constraint', `interval must be at least 1h and at most ${MAX_INTERVAL_SECONDS / 86400} days`);
  }
  return seconds;
};

const KEY_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const PREFIX = /^[A-Za-z0-9_.-]{0,32}$/;

const validateGenerator = (spec: GeneratorSpec): void => {
  if (spec.key !== null && !KEY_NAME.test(spec.key)) {
    throw invalidField('generator.key', 'format', 'generator.key is 1 to 128 letters, digits, dots, dashes or underscores');
  }
  switch (spec.kind) {
    case 'password': {
      const classes = new Set(spec.classes);
      if (classes.size === 0 || classes.size !== spec.classes.length || spec.classes.some((name) => !PASSWORD_CLASSES.includes(name))) {
        throw invalidField('generator.classes', 'constraint', 'enable at least one of lower, upper, digits, symbols, each once');
      }
      within('generator.length', spec.length, Math.max(8, classes.size), 256);
      return;
    }
    case 'random_bytes':
      within('generator.length', spec.length, 16, 1024);
      return;
    case 'api_key':
      within('generator.length', spec.length, 16, 128);
      if (!PREFIX.test(spec.prefix)) {
        throw invalidField('generator.prefix', 'format', 'generator.prefix is up to 32 letters, digits, dots, dashes or underscores');
      }
      return;
  }
};

const validateWebhook = (spec: WebhookSpec): void => {
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    throw invalidField('webhook.url', 'format', 'webhook.url must be an absolute http or https URL');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || spec.url.length > 2048) {
    throw invalidField('webhook.url', 'format', 'webhook.url must be an absolute http or https URL of at most 2048 characters');
  }
  if (url.username !== '' || url.password !== '') {
    // The signature authenticates Coffer; credentials in a URL would sit in the store in clear.
    throw invalidField('webhook.url', 'constraint', 'webhook.url must not carry a user name or password; verify the signature instead');
  }
  within('webhook.max_attempts', spec.maxAttempts, 1, 10);
  within('webhook.timeout_seconds', spec.timeoutSeconds, 1, 60);
};

export const validateMethod = (method: RotationMethod): RotationMethod => {
  if (method.type === 'generator') {
    validateGenerator(method.generator);
  } else {
    validateWebhook(method.webhook);
  }
  return method;
};

/** Seconds before retry `attempt` (1 after the first failure): 30 s, doubling, at most an hour. */
export const backoffSeconds = (attempt: number): number => Math.min(3600, 30 * 2 ** Math.max(0, attempt - 1));
