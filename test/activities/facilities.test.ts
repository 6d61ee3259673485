// Facility assignment: the same request gets the same site; different cases spread by capacity.
import { describe, expect, it } from 'vitest';
import { createFacilityAssigner, DEMO_FACILITIES } from '../../activities/facilities';
import type { FacilityRequest } from '../../activities/types';

const requestFor = (n: number): FacilityRequest => ({ caseId: `sf-${n}`, village: 'dafenshanyan', idempotencyKey: `sf-${n}:2026-02-11` });

describe('facility assignment', () => {
  it('a retried request gets the same assignment and takes no second place', async () => {
    const assign = createFacilityAssigner();
    const first = await assign(requestFor(1));
    expect(await assign(requestFor(1))).toEqual(first);
    expect(DEMO_FACILITIES.map((f) => f.id)).toContain(first.facilityId);
    // The retry did not count as a second case: the next case goes to the other site.
    expect((await assign(requestFor(2))).facilityId).not.toBe(first.facilityId);
  });

  it('spreads cases evenly over equal sites', async () => {
    const assign = createFacilityAssigner();
    const sites = await Promise.all(Array.from({ length: 10 }, (_, i) => assign(requestFor(i)).then((a) => a.facilityId)));
    expect(sites.filter((id) => id === 'F01')).toHaveLength(5);
    expect(sites.filter((id) => id === 'F02')).toHaveLength(5);
  });

  it('fills sites in proportion to their capacity, and still assigns when all are full', async () => {
    const assign = createFacilityAssigner({
      facilities: [{ id: 'S', name: '小观察点', capacity: 1 }, { id: 'L', name: '大观察点', capacity: 3 }],
    });
    const sites: string[] = [];
    for (let i = 0; i < 8; i++) sites.push((await assign(requestFor(i))).facilityId);
    expect(sites.slice(0, 4).sort()).toEqual(['L', 'L', 'L', 'S']);
    expect(sites.filter((id) => id === 'S')).toHaveLength(2);
    expect(sites.filter((id) => id === 'L')).toHaveLength(6);
  });

  it('refuses a configuration without usable sites', () => {
    expect(() => createFacilityAssigner({ facilities: [] })).toThrow();
    expect(() => createFacilityAssigner({ facilities: [{ id: 'X', name: 'x', capacity: 0 }] })).toThrow();
  });
});
