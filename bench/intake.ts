// Intake forms for the bench: valid under the API's schema, one distinct person per serial
// number (up to millions), spread over the zone's villages in proportion to their renters.
import { idCardCheckChar } from '../domain/id-card';
import type { Intake } from '../domain/schemas';
import { addDays, type LocalDate } from '../domain/time';
import { VILLAGES } from '../domain/villages';

const SURNAMES = ['张', '王', '李', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇'];
const ORIGINS = [
  { province: '河南省', city: '信阳市' }, { province: '安徽省', city: '阜阳市' },
  { province: '江西省', city: '上饶市' }, { province: '四川省', city: '南充市' },
];
const TOTAL_RENTERS = VILLAGES.reduce((n, v) => n + v.renters, 0);

/** A valid ID-card number unique per serial: the birth date and order code count up. */
export function benchIdCardNumber(serial: number): string {
  const birth = addDays('1960-01-01', Math.floor(serial / 1000)).replace(/-/g, '');
  const first17 = `330109${birth}${String(serial % 1000).padStart(3, '0')}`;
  return first17 + idCardCheckChar(first17);
}

function villageOf(serial: number): string {
  // A fixed stride through the renters: the same mix every run, no randomness to explain.
  let point = (serial * 7919) % TOTAL_RENTERS;
  for (const village of VILLAGES) {
    if (point < village.renters) return village.id;
    point -= village.renters;
  }
  return VILLAGES[0].id;
}

/** A yellow-code renter arriving on `arrivalDate`: triage puts them in home isolation. */
export function benchIntake(serial: number, arrivalDate: LocalDate): Intake {
  const origin = ORIGINS[serial % ORIGINS.length];
  return {
    person: {
      name: `${SURNAMES[serial % SURNAMES.length]}${GIVEN[Math.floor(serial / 10) % GIVEN.length]}`,
      idCardNumber: benchIdCardNumber(serial),
      phone: `138${String(serial % 1e8).padStart(8, '0')}`,
    },
    origin,
    travelTrail: [{ place: `${origin.province}${origin.city}`, date: addDays(arrivalDate, -1) }],
    transport: { mode: 'train', number: `G${1000 + (serial % 9000)}` },
    arrivalDate,
    village: villageOf(serial),
    address: `出租房 ${1 + (serial % 60)} 幢 ${101 + (serial % 600)} 室`,
    residence: 'renter',
    landlord: { name: '李建国', phone: '13900001111', commitmentSigned: true },
    healthCode: 'yellow',
    temperatureC: 36.5,
  };
}

