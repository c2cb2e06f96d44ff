import { randomBytes } from 'node:crypto';

/** A stable, meaningless handle such as `U-7K3M9Q2X`: shown in place of a person once their account is erased. */
export function newPseudonym(): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'; // no 0/O, 1/I/L
  const bytes = randomBytes(8);
  let out = 'U-';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}
