// Assigns a centralised-isolation site (集中医学观察点) to a case. Sites fill evenly by their share
// of capacity. Beds and rooms are managed by facility staff on site, so a full zone still gets an
// assignment (the least overfull site) rather than a refusal that would stall the case in retries.
import type { FacilityAssignment, FacilityRequest } from './types';
import { rememberBounded } from '../infra/bounded-map';

export interface Facility {
  id: string;
  name: string;
  capacity: number;
}

export interface FacilityAssignerOptions {
  facilities?: Facility[];
}

export const DEMO_FACILITIES: readonly Facility[] = [
  { id: 'F01', name: '开发区集中医学观察点一号', capacity: 200 },
  { id: 'F02', name: '开发区集中医学观察点二号', capacity: 200 },
];

/** Assignments remembered for retries; far more than a zone's sites hold at once. */
const REMEMBERED_ASSIGNMENTS = 10_000;

export function createFacilityAssigner(
  options: FacilityAssignerOptions = {},
): (request: FacilityRequest) => Promise<FacilityAssignment> {
  const facilities = options.facilities ?? DEMO_FACILITIES;
  if (facilities.length === 0 || facilities.some((f) => !(f.capacity > 0))) {
    throw new Error('facilities: at least one site, each with a positive capacity');
  }
  const assigned = new Map(facilities.map((f) => [f.id, 0]));
  const byKey = new Map<string, FacilityAssignment>();

  /** The site with the lowest occupancy share; ties go to the earlier site in the list. */
  function leastLoaded(): Facility {
    const share = (f: Facility) => assigned.get(f.id)! / f.capacity;
    return facilities.reduce((best, f) => (share(f) < share(best) ? f : best));
  }

  return async ({ idempotencyKey }) => {
    const known = byKey.get(idempotencyKey);
    if (known) return known;
    const facility = leastLoaded();
    assigned.set(facility.id, assigned.get(facility.id)! + 1);
    const assignment = { facilityId: facility.id, facilityName: facility.name };
    rememberBounded(byKey, idempotencyKey, assignment, REMEMBERED_ASSIGNMENTS);
    return assignment;
  };
}
