import { randomUUID } from 'node:crypto';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const newId = (): string => randomUUID();

export const isUuid = (value: string): boolean => uuidPattern.test(value);

/** Scaleway access keys: `SCW` followed by 17 upper-case letters or digits. */
export const isAccessKey = (value: string): boolean => /^SCW[A-Z0-9]{17}$/.test(value);
