// Every /api endpoint, with a body it would accept and the roles it admits: the table that the
// access-control tests walk. Case actions come from CASE_ACTIONS itself, so that a new action
// without a sample body here fails the tests instead of going unchecked.
import type { StaffRole } from '../../api/auth';
import { CASE_ACTIONS } from '../../api/case-actions';
import { makeIntake } from './intake';

export interface Endpoint {
  method: 'GET' | 'POST';
  /** The path, given the ID of an existing case in dafenshanyan. */
  path(caseId: string): string;
  roles: readonly StaffRole[];
  /** A valid body (POST), so that only the caller's rights can stop the request. */
  body?: () => object | string;
  /** The body's media type when it is not JSON. */
  type?: string;
  /** Acts on one case: hidden (404) from a caseworker of another village. */
  onCase: boolean;
}

/** A body each case action accepts, by its sub-path. */
export const ACTION_BODIES: Record<string, object> = {
  'check-ins': { temperatureC: 36.6, symptoms: ['none'], reportedBy: 'landlord' },
  visits: { outcome: 'cooperative' },
  'contact-attempts': { channel: 'phone', reached: true },
  notes: { text: '房东代买' },
  extension: { days: 1, reason: '待复核' },
  transfer: { village: 'dafenshanyan', address: '大坟山沿村 1 幢 101 室', reason: '搬家' },
  retriage: { healthCode: 'yellow', reason: '复核' },
  close: { reason: 'duplicate' },
  'doctor-decision': { decision: 'continue_home_isolation' },
  'release-sign-off': {},
};

const readers: StaffRole[] = ['caseworker', 'doctor', 'supervisor'];

export const ENDPOINTS: Record<string, Endpoint> = {
  'POST /api/cases': { method: 'POST', path: () => '/api/cases', roles: ['caseworker', 'supervisor'], body: () => makeIntake(), onCase: false },
  'GET /api/cases/:id': { method: 'GET', path: (id) => `/api/cases/${id}`, roles: readers, onCase: true },
  'GET /api/cases/:id/timeline': { method: 'GET', path: (id) => `/api/cases/${id}/timeline`, roles: readers, onCase: true },
  'GET /api/cases/:id/runs': { method: 'GET', path: (id) => `/api/cases/${id}/runs`, roles: readers, onCase: true },
  ...Object.fromEntries(CASE_ACTIONS.map((action) => [`POST /api/cases/:id/${action.path}`, {
    method: 'POST', path: (id: string) => `/api/cases/${id}/${action.path}`, roles: action.roles,
    body: () => ACTION_BODIES[action.path], onCase: true,
  } satisfies Endpoint])),
  'POST /api/cases/:id/policy': { method: 'POST', path: (id) => `/api/cases/${id}/policy`, roles: ['supervisor'], body: () => ({ version: '2026.1' }), onCase: true },
  'GET /api/worklists': { method: 'GET', path: () => '/api/worklists', roles: readers, onCase: false },
  'GET /api/worklists/:name': { method: 'GET', path: () => '/api/worklists/overdue', roles: readers, onCase: false },
  'GET /api/stats': { method: 'GET', path: () => '/api/stats', roles: readers, onCase: false },
  'POST /api/passes/verify': {
    method: 'POST', path: () => '/api/passes/verify', roles: ['checkpoint', 'caseworker', 'supervisor'], body: () => ({ token: 'not.a.pass' }), onCase: false,
  },
  'GET /api/policies': { method: 'GET', path: () => '/api/policies', roles: readers, onCase: false },
  // Only ever called by refused callers, or with a village that does not exist: a real adoption walks every open case of a village.
  'POST /api/policies/:version/adoptions': {
    method: 'POST', path: () => '/api/policies/2026.2/adoptions', roles: ['supervisor'], body: () => ({ village: 'jingding' }), onCase: false,
  },
  // Admitted callers get a 404 here unless a test started that rollout: the role is checked first.
  'GET /api/policies/:version/adoptions/:rolloutId': {
    method: 'GET', path: () => '/api/policies/2026.2/adoptions/policy-rollout-2026.2-jingding', roles: ['supervisor'], onCase: false,
  },
  'POST /api/imports': {
    method: 'POST', path: () => '/api/imports', roles: ['caseworker', 'supervisor'], type: 'text/csv', body: () => 'name\r\n', onCase: false,
  },
};
