import { randomBytes } from 'node:crypto';

import {
  hashPassword as scryptHash,
  verifyPassword as scryptVerify,
} from 'better-auth/crypto';

/** Shortest password the sign-in form and Settings → Users accept. */
export const MIN_PASSWORD_LENGTH = 10;

/**
 * One hashing scheme (better-auth's scrypt) for sign-in and for the accounts this product
 * creates itself (the first admin, Settings → Users), so both always agree.
 */
export function hashPassword(password: string): Promise<string> {
  return scryptHash(password);
}

export function verifyPassword(data: { hash: string; password: string }): Promise<boolean> {
  return scryptVerify(data);
}

/** A password for an account created without one: 24 characters, about 143 bits. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
