import { describe, expect, it } from 'vitest';
import { ownerDatabaseUrl } from './owner-url.js';

describe('ownerDatabaseUrl', () => {
  it('keeps host, port, database and options; swaps the credentials', () => {
    expect(ownerDatabaseUrl('postgres://edu:app-pw@127.0.0.1:5432/edu_test?sslmode=require', { user: 'edu_owner', password: 'p@ss/word' })).toBe(
      'postgres://edu_owner:p%40ss%2Fword@127.0.0.1:5432/edu_test?sslmode=require',
    );
  });

  it('is the given URL when no owner is configured', () => {
    expect(ownerDatabaseUrl('postgres://edu:x@db/edu', {})).toBe('postgres://edu:x@db/edu');
  });
});
