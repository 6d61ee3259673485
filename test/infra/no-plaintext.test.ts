// "Nothing leaked": a case goes through a real dev server that keeps its state in SQLite, and
// afterwards the database files — read as raw bytes, as a thief with a disk copy would — hold
// none of the person's identity. The case ID and the search attributes, stored in clear by
// design, must be found there: proof that the bytes searched are really the case's history.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain';
import { policyByVersion } from '../../domain/policy';
import { startDevServer } from '../../infra/dev-server';
import { caseViewQuery, checkInUpdate } from '../../workflows/definitions';
import { startCaseWorker } from '../support/case-worker';
import { idCardNumber, makeIntake } from '../support/intake';

const intake = makeIntake({
  person: { name: '欧阳测试', idCardNumber: idCardNumber(), phone: '13987654321' },
  landlord: { name: '司马房东', phone: '13700007777', commitmentSigned: true },
  address: '测试大道 8848 号 1701 室',
});
const secrets = {
  name: intake.person.name,
  phone: intake.person.phone,
  'ID number': intake.person.idCardNumber,
  'landlord name': intake.landlord!.name,
  'landlord phone': intake.landlord!.phone,
  address: intake.address,
};
const actor: Actor = { role: 'caseworker', id: 'cw-leak-test' };

let dir: string;
let caseId: string;
let stored: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sanfan-no-plaintext-'));
  const server = await startDevServer({ dbFile: join(dir, 'temporal.db'), ui: false });
  try {
    const worker = await startCaseWorker(server.address);
    try {
      const registered = await worker.cases.register(intake, policyByVersion('2026.1'), actor);
      caseId = registered.case.caseId;
      const handle = worker.cases.handle(caseId);
      await handle.executeUpdate(checkInUpdate, { args: [{ temperatureC: 36.7, symptoms: ['none'], reportedBy: 'landlord' }, actor] });
      // The answers come back decrypted to those who hold the key: the case really has the person.
      expect((await handle.query(caseViewQuery)).village).toBe(intake.village);
    } finally {
      await worker.stop();
    }
  } finally {
    await server.stop();
  }
  // The .db and whatever -wal/-shm the server left behind.
  const files = readdirSync(dir).filter((f) => f.startsWith('temporal.db'));
  expect(files).toContain('temporal.db');
  stored = Buffer.concat(files.map((f) => readFileSync(join(dir, f))));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the SQLite files of the Temporal server after a registration, a check-in and a query', () => {
  it.each(Object.entries(secrets))('do not contain the %s', (_what, value) => {
    expect(stored.includes(Buffer.from(value, 'utf8'))).toBe(false);
    expect(stored.includes(Buffer.from(value, 'utf16le'))).toBe(false);
  });

  it('do contain the case ID and the search attributes, which are stored in clear (control)', () => {
    expect(caseId).toMatch(/^sf-/);
    expect(stored.includes(Buffer.from(caseId))).toBe(true);
    expect(stored.includes(Buffer.from(intake.village))).toBe(true);
  });
});
