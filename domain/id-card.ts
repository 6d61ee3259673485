// Resident identity card numbers (GB 11643-1999): 17 digits and a check character.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function idCardCheckChar(first17: string): string {
  const sum = [...first17].reduce((acc, digit, i) => acc + Number(digit) * WEIGHTS[i], 0);
  return CHECK[sum % 11];
}

/** Upper-cases the check character; the form used for hashing and comparison. */
export function normaliseIdCard(value: string): string {
  return value.trim().toUpperCase();
}

export function isValidIdCard(value: string): boolean {
  const id = normaliseIdCard(value);
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const birth = id.slice(6, 14);
  const date = new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10).replace(/-/g, '') !== birth) return false;
  return idCardCheckChar(id.slice(0, 17)) === id[17];
}
