import { randomBytes, randomInt } from 'node:crypto';
import type { GeneratorSpec, PasswordClass } from './rotation-model.js';

/**
 * Symbols that survive shells, URLs' userinfo once encoded, and config files: no quotes,
 * backslash, backtick or space, which break more consumers than they add strength.
 */
export const PASSWORD_ALPHABETS: Record<PasswordClass, string> = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  symbols: '!#$%&()*+,-./:;<=>?@[]^_{|}~',
};

const BASE62 = `${PASSWORD_ALPHABETS.digits}${PASSWORD_ALPHABETS.upper}${PASSWORD_ALPHABETS.lower}`;

// randomInt draws by rejection sampling, so every character of an alphabet is equally likely.
const pick = (alphabet: string): string => alphabet.charAt(randomInt(alphabet.length));

const shuffle = (characters: string[]): string[] => {
  for (let index = characters.length - 1; index > 0; index -= 1) {
    const other = randomInt(index + 1);
    [characters[index], characters[other]] = [characters[other] ?? '', characters[index] ?? ''];
  }
  return characters;
};

/** One character of each enabled class at a random place, the rest drawn from all of them. */
export const generatePassword = (length: number, classes: readonly PasswordClass[]): string => {
  const alphabet = classes.map((name) => PASSWORD_ALPHABETS[name]).join('');
  const required = classes.map((name) => pick(PASSWORD_ALPHABETS[name]));
  const rest = Array.from({ length: length - required.length }, () => pick(alphabet));
  return shuffle([...required, ...rest]).join('');
};

export const generateRandomBytes = (length: number, encoding: 'base64' | 'base64url' | 'hex'): string => randomBytes(length).toString(encoding);

export const generateApiKey = (prefix: string, length: number): string => `${prefix}${Array.from({ length }, () => pick(BASE62)).join('')}`;

/** A new value by the generator's spec (already validated by policy-rules.ts). */
export const generateValue = (spec: GeneratorSpec): string => {
  switch (spec.kind) {
    case 'password':
      return generatePassword(spec.length, spec.classes);
    case 'random_bytes':
      return generateRandomBytes(spec.length, spec.encoding);
    case 'api_key':
      return generateApiKey(spec.prefix, spec.length);
  }
};
