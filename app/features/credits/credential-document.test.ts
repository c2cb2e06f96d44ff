import { describe, expect, it } from 'vitest';
import { validateAgainstOb3Schema } from '../../../tests/support/ob3-schema.js';
import { buildAchievementCredential, encodeStatusList, identityHash, statusBitSet, statusListCredential, type CredentialFacts } from './credential-document.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON documents, read by path
type Doc = Record<string, any>;

const facts = (kind: CredentialFacts['achievement']['kind']): CredentialFacts => ({
  id: '6f1c1c7e-5c55-4a4e-9a58-1f7d3c1b2a90',
  baseUrl: 'https://edu.example.cn',
  issuer: { did: 'did:web:edu.example.cn:institutions:fjnu', slug: 'fjnu', nameZh: '福建师范大学', nameEn: 'Fujian Normal University' },
  holder: { name: '林晓', email: 'linxiao@example.cn', salt: 'abc123' },
  validFrom: '2026-06-01T08:00:00Z',
  achievement: { nameZh: '数据结构', nameEn: 'Data Structures', kind, description: 'Completed Data Structures.', criteria: 'Passed the course.' },
  creditsEarned: '3.0',
  results: [{ key: 'final-grade', value: '88.50', scale: { nameZh: '百分制', nameEn: 'Percent 0–100', resultType: 'Percent', valueMin: '0', valueMax: '100' } }],
  statusIndex: 7,
});

describe('OB 3.0 credential documents', () => {
  it('pass the vendored 1EdTech OB 3.0 schema, for completion and recognition alike', () => {
    expect(validateAgainstOb3Schema(buildAchievementCredential(facts('course-completion')))).toEqual([]);
    expect(validateAgainstOb3Schema(buildAchievementCredential(facts('credit-recognition')))).toEqual([]);
  });

  it('the schema refuses what the old documents did: an unlisted achievement type', () => {
    const doc = buildAchievementCredential(facts('credit-recognition')) as { credentialSubject: { achievement: Record<string, unknown> } };
    expect(doc.credentialSubject.achievement.achievementType).toBe('ext:CreditRecognition');
    doc.credentialSubject.achievement.achievementType = 'Credit';
    expect(validateAgainstOb3Schema(doc as Record<string, unknown>).join(' ')).toContain('achievementType');
  });

  it('states the grade scale, names the holder (the e-mail only hashed), and links the English edition', () => {
    const doc = buildAchievementCredential(facts('course-completion')) as Doc;
    const subject = doc.credentialSubject;
    expect(subject.result[0].resultDescription).toBe(subject.achievement.resultDescription[0].id);
    expect(subject.achievement.resultDescription[0]).toMatchObject({ resultType: 'Percent', valueMin: '0', valueMax: '100' });
    expect(subject.identifier[1]).toEqual({ type: 'IdentityObject', identityType: 'emailAddress', hashed: true, identityHash: identityHash('linxiao@example.cn', 'abc123'), salt: 'abc123' });
    expect(JSON.stringify(doc)).not.toContain('linxiao@example.cn');
    expect(subject.achievement.related).toEqual([{ id: 'https://edu.example.cn/credentials/6f1c1c7e-5c55-4a4e-9a58-1f7d3c1b2a90/achievement?lang=en', type: ['Related'], inLanguage: 'en' }]);
    expect(JSON.stringify(doc)).not.toContain('alternateName');
  });

  it('status lists carry validity and a ttl, and read back the bits set', () => {
    const list = statusListCredential({ baseUrl: 'https://edu.example.cn', slug: 'fjnu', did: 'did:web:edu.example.cn:institutions:fjnu', revokedIndexes: [3, 70000], validFrom: new Date('2026-06-01T00:00:00Z') }) as Doc;
    expect(list).toMatchObject({ issuer: 'did:web:edu.example.cn:institutions:fjnu', validUntil: '2026-07-01T00:00:00Z', credentialSubject: { ttl: 300000, statusPurpose: 'revocation' } });
    expect(statusBitSet(list.credentialSubject.encodedList, 3)).toBe(true);
    expect(statusBitSet(list.credentialSubject.encodedList, 4)).toBe(false);
    expect(statusBitSet(encodeStatusList([70000]), 70000)).toBe(true);
    expect(() => statusBitSet(encodeStatusList([]), 131072)).toThrow();
  });
});
