// Every caseworker/doctor/supervisor action on a case, as one table: the sub-resource, the schema
// that validates its body, the workflow update it becomes, and who may do it. The routes and the
// OpenAPI document are both generated from this table.
import type { UpdateDefinition } from '@temporalio/client';
import type { z } from 'zod';
import {
  CheckInSchema, CloseSchema, ContactAttemptSchema, DoctorDecisionSchema, ExtensionSchema, NoteSchema, RetriageSchema,
  SignOffSchema, TransferSchema, VisitSchema,
} from '../domain/schemas';
import {
  changePeriodUpdate, checkInUpdate, closeUpdate, contactAttemptUpdate, doctorDecisionUpdate, noteUpdate, retriageUpdate,
  signOffUpdate, transferUpdate, visitUpdate,
} from '../workflows/definitions';
import type { StaffRole } from './auth';

export interface CaseAction {
  path: string;
  summary: string;
  schema: z.ZodType;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  update: UpdateDefinition<any, [any, any]>;
  roles: StaffRole[];
}

const field: StaffRole[] = ['caseworker', 'supervisor'];

export const CASE_ACTIONS: readonly CaseAction[] = [
  { path: 'check-ins', summary: 'Record a health check-in (健康打卡); answers with the recorded slot', schema: CheckInSchema, update: checkInUpdate, roles: ['caseworker', 'doctor', 'supervisor'] },
  { path: 'visits', summary: 'Record a patrol visit outcome', schema: VisitSchema, update: visitUpdate, roles: field },
  { path: 'contact-attempts', summary: 'Record a contact attempt', schema: ContactAttemptSchema, update: contactAttemptUpdate, roles: field },
  { path: 'notes', summary: 'Add a note to the timeline', schema: NoteSchema, update: noteUpdate, roles: ['caseworker', 'doctor', 'supervisor'] },
  { path: 'extension', summary: 'Extend (positive days) or shorten (negative) the isolation, with a reason', schema: ExtensionSchema, update: changePeriodUpdate, roles: field },
  { path: 'transfer', summary: 'Transfer the case to another village', schema: TransferSchema, update: transferUpdate, roles: field },
  { path: 'retriage', summary: 'Re-triage with a new health-code colour (appeal or correction), with a reason', schema: RetriageSchema, update: retriageUpdate, roles: field },
  { path: 'close', summary: 'Close the case with a reason', schema: CloseSchema, update: closeUpdate, roles: field },
  { path: 'doctor-decision', summary: "The doctor's decision after an abnormal check-in", schema: DoctorDecisionSchema, update: doctorDecisionUpdate, roles: ['doctor'] },
  { path: 'release-sign-off', summary: "The supervisor's sign-off that releases the case with a green pass", schema: SignOffSchema, update: signOffUpdate, roles: ['supervisor'] },
];
