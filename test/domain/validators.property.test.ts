// Property-based tests of the input validators: whatever arrives, they answer (never throw),
// they accept every valid form, and they locate every problem. And the CSV cells a spreadsheet
// opens never start a formula.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../api/csv';
import { isValidIdCard } from '../../domain/id-card';
import { CheckInSchema, IntakeSchema } from '../../domain/schemas';
import {
  hostileJson, idCardFirst17, leafPaths, referenceCheckChar, validCheckIn, validIdCard, validIntake, withLeaf,
} from '../support/arbitraries';
import { makeIntake } from '../support/intake';

const schemas = { IntakeSchema, CheckInSchema };

describe.each(Object.entries(schemas))('%s', (_name, schema) => {
  it('never throws on arbitrary JSON, and every refusal has issues with a path and a message', () => {
    fc.assert(fc.property(hostileJson, (input) => {
      const result = schema.safeParse(input);
      if (result.success) return;
      expect(result.error.issues.length).toBeGreaterThan(0);
      for (const issue of result.error.issues) {
        expect(Array.isArray(issue.path)).toBe(true);
        expect(issue.message).toEqual(expect.any(String));
      }
    }), { numRuns: 500 });
  });
});

describe('IntakeSchema', () => {
  it('accepts every valid intake, keeping what was said (ID number normalised)', () => {
    fc.assert(fc.property(validIntake, (intake) => {
      const result = IntakeSchema.safeParse(intake);
      expect(result.error?.issues).toBeUndefined();
      expect(result.data).toEqual({ ...intake, address: intake.address.trim() });
    }), { numRuns: 300 });
  });

  it('locates the problem when one field of a valid intake is replaced by arbitrary JSON', () => {
    const base = makeIntake();
    fc.assert(fc.property(fc.constantFrom(...leafPaths(base)), hostileJson, (path, junk) => {
      const result = IntakeSchema.safeParse(withLeaf(base, path, junk));
      if (result.success) return;
      // The API turns these paths into field errors: none may point at the body as a whole.
      for (const issue of result.error.issues) expect(issue.path.length).toBeGreaterThan(0);
      expect(result.error.issues.some((issue) => issue.path[0] === path[0])).toBe(true);
    }), { numRuns: 500 });
  });
});

describe('CheckInSchema', () => {
  it('accepts every valid check-in', () => {
    fc.assert(fc.property(validCheckIn, (checkIn) => {
      expect(CheckInSchema.safeParse(checkIn).success).toBe(true);
    }));
  });
});

describe('isValidIdCard', () => {
  it('accepts exactly the numbers whose check character is right', () => {
    const anyCheck = fc.constantFrom(...'0123456789Xx');
    fc.assert(fc.property(idCardFirst17, anyCheck, (first17, check) => {
      expect(isValidIdCard(first17 + check)).toBe(check.toUpperCase() === referenceCheckChar(first17));
    }), { numRuns: 2000 });
  });

  it('refuses every single-character change of a valid number (MOD 11-2 catches them all)', () => {
    fc.assert(fc.property(validIdCard, fc.nat(17), fc.constantFrom(...'0123456789X'), (id, at, char) => {
      fc.pre(id[at] !== char && !(at < 17 && char === 'X'));
      expect(isValidIdCard(id.slice(0, at) + char + id.slice(at + 1))).toBe(false);
    }), { numRuns: 2000 });
  });

  it('refuses impossible birth dates even with a right check character', () => {
    const isRealDate = (y: number, m: number, d: number) => {
      const date = new Date(Date.UTC(y, m - 1, d));
      return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
    };
    const pad = (n: number) => String(n).padStart(2, '0');
    // Mostly plausible months and days, so that real and impossible dates (31 April, 29 February) both come up.
    const upTo = (max: number) => fc.oneof(fc.integer({ min: 1, max }), fc.integer({ min: 0, max: 99 }));
    fc.assert(fc.property(fc.integer({ min: 1900, max: 2099 }), upTo(12), upTo(31), (y, m, d) => {
      const first17 = `330102${y}${pad(m)}${pad(d)}123`;
      expect(isValidIdCard(first17 + referenceCheckChar(first17))).toBe(isRealDate(y, m, d));
    }), { numRuns: 1000 });
  });

  it('refuses anything that is not 17 digits and a check character', () => {
    fc.assert(fc.property(fc.string({ maxLength: 30 }), (text) => {
      fc.pre(!/^\s*\d{17}[\dXx]\s*$/.test(text));
      expect(isValidIdCard(text)).toBe(false);
    }));
  });
});

describe('csvCell', () => {
  const FORMULA_START = ['=', '+', '-', '@', '\t', '\r'];
  /** The cell's text as a spreadsheet reads it: without the CSV quoting. */
  const unquoted = (cell: string) => (cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell);
  const cellValue = fc.oneof(
    fc.string({ unit: 'grapheme' }),
    fc.tuple(fc.constantFrom(...FORMULA_START), fc.string()).map(([start, rest]) => start + rest),
    fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined),
  );

  it('never yields a cell, quoted or not, that starts with = + - @ tab or CR', () => {
    fc.assert(fc.property(cellValue, (value) => {
      const cell = csvCell(value);
      expect(FORMULA_START).not.toContain(cell[0]);
      expect(FORMULA_START).not.toContain(unquoted(cell)[0]);
    }), { numRuns: 2000 });
  });

  it('keeps the text: the cell reads back as the value, with a leading quote only before a formula start', () => {
    fc.assert(fc.property(cellValue, (value) => {
      const text = value === undefined || value === null ? '' : String(value);
      const expected = FORMULA_START.includes(text[0]) ? `'${text}` : text;
      expect(unquoted(csvCell(value))).toBe(expected);
    }), { numRuns: 2000 });
  });
});
