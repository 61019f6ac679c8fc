import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id`; the package declares its enum `const`, which isolated modules cannot read. */
const ARGON2ID_ALGORITHM = 2;

/**
 * OWASP's argon2id baseline (19 MiB, two passes): slow enough to make offline guessing
 * expensive, quick enough (tens of milliseconds) for a sign-in.
 */
const ARGON2ID = { algorithm: ARGON2ID_ALGORITHM, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** A PHC string (`$argon2id$v=19$…`) carrying its own salt and parameters. */
export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2ID);

/** Argon2's own comparison is constant-time; a malformed stored hash counts as a mismatch. */
export const verifyPassword = async (passwordHash: string, password: string): Promise<boolean> => {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
};
