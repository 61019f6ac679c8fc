import type { Clock } from '../../shared/clock.js';
import { invalidField } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { hashPassword, verifyPassword } from '../../crypto/index.js';
import type { Actor, User } from './iam-model.js';
import type { IamStore } from './iam-store.js';
import { createIamLookups, MAX_NAME, validateText } from './iam-lookups.js';

export interface UserInput {
  email: string;
  /** null: the user cannot sign in with a password until one is set. */
  password: string | null;
  username: string;
  firstName: string;
  lastName: string;
  tags: string[];
}

export type UserChanges = Partial<Pick<UserInput, 'email' | 'username' | 'firstName' | 'lastName' | 'tags'>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MIN_PASSWORD = 8;
const MAX_PASSWORD = 256;

const validEmail = (email: string): string => {
  if (email.length > 254 || !EMAIL.test(email)) {
    throw invalidField('email', 'format', 'email must be an address such as ada@example.com');
  }
  return email.toLowerCase();
};

/** Never echoes the password: the problem names the rule only. */
const validPassword = (password: string, email: string): string => {
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD || password.includes('\u0000')) {
    throw invalidField('password', 'constraint', `password must be ${MIN_PASSWORD}-${MAX_PASSWORD} characters`);
  }
  if (password.toLowerCase() === email.toLowerCase()) {
    throw invalidField('password', 'constraint', 'password must not be the email address');
  }
  return password;
};

/**
 * A hash of a password nobody has, verified when an email is unknown so that a
 * sign-in takes as long whether or not the account exists.
 */
let decoyHash: Promise<string> | null = null;
const decoy = (): Promise<string> => (decoyHash ??= hashPassword(`decoy-${newId()}`));

/** Users of the caller's organization: email and argon2id password, profile, deletion. */
export const createUserAdmin = ({ store, clock }: { store: IamStore; clock: Clock }) => {
  const lookups = createIamLookups(store);
  const { allow, ownUser } = lookups;

  return {
    /** The first user of an organization is its owner, an organization manager for good. */
    async createUser(actor: Actor, input: UserInput): Promise<User> {
      allow(actor, 'iam:write');
      const email = validEmail(input.email);
      const password = input.password === null ? null : validPassword(input.password, email);
      const now = clock.nowMicros();
      const existing = await store.listUsers(actor.organizationId);
      const user: User = {
        id: newId(),
        organizationId: actor.organizationId,
        email,
        username: validateText('username', input.username || email.split('@')[0] || email, MAX_NAME, true),
        firstName: validateText('first_name', input.firstName, MAX_NAME, false),
        lastName: validateText('last_name', input.lastName, MAX_NAME, false),
        passwordHash: password === null ? null : await hashPassword(password),
        type: existing.length === 0 ? 'owner' : 'member',
        tags: input.tags,
        createdAt: now,
        updatedAt: now,
        lastLoginAt: null,
      };
      await store.insertUser(user);
      return user;
    },
    getUser: async (actor: Actor, id: string) => {
      allow(actor, 'iam:read');
      return ownUser(actor, id);
    },
    listUsers: async (actor: Actor) => {
      allow(actor, 'iam:read');
      return store.listUsers(actor.organizationId);
    },
    async updateUser(actor: Actor, id: string, changes: UserChanges): Promise<User> {
      allow(actor, 'iam:write');
      const user = await ownUser(actor, id);
      const updated: User = {
        ...user,
        email: changes.email === undefined ? user.email : validEmail(changes.email),
        username: changes.username === undefined ? user.username : validateText('username', changes.username, MAX_NAME, true),
        firstName: changes.firstName === undefined ? user.firstName : validateText('first_name', changes.firstName, MAX_NAME, false),
        lastName: changes.lastName === undefined ? user.lastName : validateText('last_name', changes.lastName, MAX_NAME, false),
        tags: changes.tags ?? user.tags,
        updatedAt: clock.nowMicros(),
      };
      await store.updateUser(updated);
      return updated;
    },
    async setPassword(actor: Actor, id: string, password: string): Promise<User> {
      allow(actor, 'iam:write');
      const user = await ownUser(actor, id);
      const updated = { ...user, passwordHash: await hashPassword(validPassword(password, user.email)), updatedAt: clock.nowMicros() };
      await store.updateUser(updated);
      return updated;
    },
    async deleteUser(actor: Actor, id: string): Promise<void> {
      allow(actor, 'iam:write');
      await ownUser(actor, id);
      await lookups.keepAManager(actor, (state) => ({ ...state, users: state.users.filter((user) => user.id !== id) }));
      await store.deleteUser(id);
    },

    /** The user these credentials belong to, or null; the same work is done either way. */
    async verifyCredentials(email: string, password: string): Promise<User | null> {
      const user = EMAIL.test(email) ? await store.findUserByEmail(email.toLowerCase()) : null;
      const matches = await verifyPassword(user?.passwordHash ?? (await decoy()), password);
      if (!user || user.passwordHash === null || !matches) {
        return null;
      }
      const signedIn = { ...user, lastLoginAt: clock.nowMicros() };
      await store.updateUser(signedIn);
      return signedIn;
    },
  };
};

export type UserAdmin = ReturnType<typeof createUserAdmin>;
