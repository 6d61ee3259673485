// fast-check generators for sanfan's inputs: valid intakes and check-ins (built on makeIntake),
// resident ID numbers, and hostile JSON.
import fc from 'fast-check';
import { REPORTERS, SYMPTOMS, type CheckIn, type Intake, type Symptom } from '../../domain/schemas';
import { VILLAGE_IDS } from '../../domain/villages';
import { makeIntake } from './intake';

/**
 * The GB 11643 check character, written from the standard (ISO 7064 MOD 11-2: weights 2^(17-i)
 * mod 11, check value (12 - sum) mod 11, 10 written X) rather than copied from domain/id-card.ts,
 * so that a test comparing the two means something.
 */
export function referenceCheckChar(first17: string): string {
  const sum = [...first17].reduce((acc, digit, i) => acc + Number(digit) * (2 ** (17 - i) % 11), 0);
  const value = (12 - (sum % 11)) % 11;
  return value === 10 ? 'X' : String(value);
}

const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });

export const isoDate = (min = '1900-01-01', max = '2026-12-31') =>
  fc.date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

/** The first 17 characters of an ID number: area, a real birth date, sequence. */
export const idCardFirst17 = fc.tuple(digits(6), isoDate(), digits(3))
  .map(([area, birth, order]) => `${area}${birth.replace(/-/g, '')}${order}`);

export const validIdCard = idCardFirst17.map((first17) => first17 + referenceCheckChar(first17));

const hanzi = [...'张王李赵刘陈杨黄周吴欧阳司马诸葛伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超'];
const chinese = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...hanzi), minLength: min, maxLength: max });
const mobile = fc.stringMatching(/^1[3-9]\d{9}$/);

const transport = fc.oneof(
  fc.stringMatching(/^[浙沪苏皖豫][A-Z][A-HJ-NP-Z0-9]{5,6}$/).map((plate) => ({ mode: 'self_drive' as const, plate })),
  fc.record({ mode: fc.constantFrom('train' as const, 'bus' as const, 'flight' as const), number: fc.option(fc.stringMatching(/^[A-Z]{0,2}\d{1,5}$/), { nil: undefined }) })
    .map(({ mode, number }) => (number === undefined ? { mode } : { mode, number })),
);

/** A valid intake: every field varied within what the schema allows, renters with a signed landlord. */
export const validIntake: fc.Arbitrary<Intake> = fc.record({
  name: chinese(1, 50),
  idCardNumber: validIdCard,
  phone: mobile,
  province: chinese(2, 20),
  city: chinese(2, 30),
  arrivalDate: isoDate('2025-01-01', '2026-12-31'),
  trailDaysBefore: fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 60 }),
  transport,
  village: fc.constantFrom(...VILLAGE_IDS),
  address: fc.string({ minLength: 1, maxLength: 200 }).filter((s) => s.trim().length > 0),
  residence: fc.constantFrom('renter' as const, 'owner' as const, 'family' as const),
  landlord: fc.record({ name: chinese(1, 50), phone: mobile }),
  healthCode: fc.constantFrom('green' as const, 'yellow' as const, 'red' as const),
  temperatureC: fc.double({ min: 34, max: 43, noNaN: true }),
}).map((f) => makeIntake({
  person: { name: f.name, idCardNumber: f.idCardNumber, phone: f.phone },
  origin: { province: f.province, city: f.city },
  travelTrail: f.trailDaysBefore.map((days, i) => ({
    place: `${f.province}${f.city}${i}`,
    date: new Date(Date.parse(`${f.arrivalDate}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10),
  })),
  transport: f.transport,
  arrivalDate: f.arrivalDate,
  village: f.village,
  address: f.address,
  residence: f.residence,
  landlord: f.residence === 'renter' ? { ...f.landlord, commitmentSigned: true } : undefined,
  healthCode: f.healthCode,
  temperatureC: f.temperatureC,
}));

export const validCheckIn: fc.Arbitrary<CheckIn> = fc.record({
  temperatureC: fc.double({ min: 34, max: 43, noNaN: true }),
  symptoms: fc.oneof(
    fc.constant<Symptom[]>(['none']),
    fc.uniqueArray(fc.constantFrom<Symptom>(...SYMPTOMS.filter((s) => s !== 'none')), { minLength: 1 }),
  ),
  reportedBy: fc.constantFrom(...REPORTERS),
});

/** Keys that have polluted prototypes elsewhere, as JSON.parse creates them (own properties). */
const prototypeKeys = fc.constantFrom('__proto__', 'constructor', 'prototype');

/** Any JSON value, including objects that carry prototype-pollution keys. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.tuple(prototypeKeys, fc.jsonValue()).map(([key, value]) => JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(value) ?? 'null'}}`)),
);

/** All the paths to leaves of a JSON-like value, e.g. ['person', 'name'] or ['travelTrail', 0, 'date']. */
export function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([key, child]) => leafPaths(child, [...prefix, key]));
}

/** The value at `path` inside `value`. */
export function valueAt(value: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], value);
}

/** A deep copy of `value` with the leaf at `path` replaced. */
export function withLeaf<T>(value: T, path: (string | number)[], leaf: unknown): T {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = leaf;
  return copy as T;
}
