// Valid intake forms for tests, with a fresh, checksum-correct ID-card number each time.
import { idCardCheckChar } from '../../domain/id-card';
import type { Intake } from '../../domain/schemas';
import { localDateOf } from '../../domain/time';

let serial = 0;

/**
 * A valid 18-character ID number, never repeated within a test file: the serial sets the order
 * code and, every thousand, the birth date. (A random order code once gave two of a file's 120
 * rows the same number, so the import test saw 119 cases.) A random area keeps numbers from
 * different files and runs apart.
 */
export function idCardNumber(): string {
  serial += 1;
  const area = String(330100 + Math.floor(Math.random() * 900)).padStart(6, '0');
  const birth = new Date(Date.UTC(1990, 0, 1 + Math.floor(serial / 1000))).toISOString().slice(0, 10).replaceAll('-', '');
  const order = String(serial % 1000).padStart(3, '0');
  const first17 = `${area}${birth}${order}`;
  return first17 + idCardCheckChar(first17);
}

/**
 * A yellow-code renter in dafenshanyan. The arrival date is today in Asia/Shanghai (by the wall
 * clock, when called) unless given: a home isolation starts on it, so on the dev server a default
 * case is on day 1 of its period and stays in isolation, as a real one registered today would.
 * (A fixed date falls behind: once its period has passed, the case releases itself at once.) On the
 * time-skipping server, whose clock runs ahead of the wall clock, pass the server's date instead.
 */
export function makeIntake(overrides: Partial<Intake> = {}): Intake {
  const arrivalDate = overrides.arrivalDate ?? localDateOf(Date.now());
  return {
    person: { name: '张伟', idCardNumber: idCardNumber(), phone: '13812345678' },
    origin: { province: '河南省', city: '信阳市' },
    travelTrail: [{ place: '河南省信阳市', date: arrivalDate }],
    transport: { mode: 'self_drive', plate: '浙A12345' },
    arrivalDate,
    village: 'dafenshanyan',
    address: '大坟山沿村 12 幢 301 室',
    residence: 'renter',
    landlord: { name: '李建国', phone: '13900001111', commitmentSigned: true },
    healthCode: 'yellow',
    temperatureC: 36.5,
    ...overrides,
  };
}
