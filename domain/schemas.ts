// Validation schemas of every input (one schema library: zod). The API validates requests with
// them and the OpenAPI document is generated from them. Workflow code imports only their types,
// so zod never enters the workflow bundle.
import { z } from 'zod';
import { isValidIdCard, normaliseIdCard } from './id-card';
import { isLocalDate } from './time';
import { VILLAGE_IDS } from './villages';

const localDate = z.string().refine(isLocalDate, { message: 'must be a date YYYY-MM-DD' });
const text = (max: number) => z.string().trim().min(1, { message: 'must not be empty' }).max(max);
const mobile = z.string().trim().regex(/^1[3-9]\d{9}$/, { message: 'must be an 11-digit mainland mobile number' });
const temperatureC = z.number().min(34, { message: 'below 34 °C is not a body temperature' })
  .max(43, { message: 'above 43 °C is not a body temperature' });

export const HealthCodeColourSchema = z.enum(['green', 'yellow', 'red']);
export const VillageSchema = z.enum(VILLAGE_IDS, { message: `must be one of ${VILLAGE_IDS.join(', ')}` });

export const TransportSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('self_drive'),
    plate: z.string().trim().regex(/^[\u4e00-\u9fa5][A-Z][A-HJ-NP-Z0-9]{5,6}$/, { message: 'must be a plate like 浙A12345' }),
  }).strict(),
  z.object({ mode: z.enum(['train', 'bus', 'flight']), number: text(20).optional() }).strict(),
]);

export const IntakeSchema = z.object({
  person: z.object({
    name: text(50),
    idCardNumber: z.string().trim().refine(isValidIdCard, { message: 'must be a valid 18-character resident ID number' })
      .transform(normaliseIdCard),
    phone: mobile,
  }).strict(),
  origin: z.object({ province: text(20), city: text(30) }).strict(),
  travelTrail: z.array(z.object({ place: text(60), date: localDate }).strict()).max(60),
  transport: TransportSchema,
  arrivalDate: localDate,
  village: VillageSchema,
  address: text(200),
  residence: z.enum(['renter', 'owner', 'family']),
  landlord: z.object({ name: text(50), phone: mobile, commitmentSigned: z.boolean() }).strict().optional(),
  healthCode: HealthCodeColourSchema,
  temperatureC,
}).strict().superRefine((intake, ctx) => {
  if (intake.residence === 'renter') {
    if (!intake.landlord) ctx.addIssue({ code: 'custom', path: ['landlord'], message: 'is required for renters' });
    else if (!intake.landlord.commitmentSigned) {
      ctx.addIssue({ code: 'custom', path: ['landlord', 'commitmentSigned'], message: 'the landlord must sign the commitment letter (承诺书) for a renter' });
    }
  }
  intake.travelTrail.forEach((stop, i) => {
    if (stop.date > intake.arrivalDate) {
      ctx.addIssue({ code: 'custom', path: ['travelTrail', i, 'date'], message: 'is after the arrival date' });
    }
  });
});
export type Intake = z.infer<typeof IntakeSchema>;

export const SYMPTOMS = ['fever', 'cough', 'sore_throat', 'fatigue', 'loss_of_taste_or_smell', 'diarrhoea', 'shortness_of_breath', 'none'] as const;
export const REPORTERS = ['returnee', 'landlord', 'caseworker', 'doctor', 'facility_staff'] as const;

export const CheckInSchema = z.object({
  temperatureC,
  symptoms: z.array(z.enum(SYMPTOMS)).min(1, { message: 'list the symptoms, or ["none"]' }).max(SYMPTOMS.length),
  reportedBy: z.enum(REPORTERS),
}).strict().refine((c) => !(c.symptoms.includes('none') && c.symptoms.length > 1), {
  path: ['symptoms'], message: '"none" cannot be combined with a symptom',
});
export type CheckIn = z.infer<typeof CheckInSchema>;
export type Symptom = (typeof SYMPTOMS)[number];
export type Reporter = (typeof REPORTERS)[number];

const reason = text(500);

export const VisitSchema = z.object({ outcome: z.enum(['cooperative', 'uncooperative', 'not_at_home']), note: text(500).optional() }).strict();
export const ContactAttemptSchema = z.object({ channel: z.enum(['phone', 'wechat', 'in_person']), reached: z.boolean(), note: text(500).optional() }).strict();
export const NoteSchema = z.object({ text: text(2000) }).strict();
export const ExtensionSchema = z.object({
  days: z.number().int().min(-13).max(28).refine((d) => d !== 0, { message: 'must change the period by at least one day' }),
  reason,
}).strict();
export const TransferSchema = z.object({ village: VillageSchema, address: text(200), reason }).strict();
export const RetriageSchema = z.object({ healthCode: HealthCodeColourSchema, temperatureC: temperatureC.optional(), reason }).strict();
export const CloseSchema = z.object({ reason: z.enum(['left_zone', 'hospitalised', 'transferred_out', 'duplicate']), note: text(500).optional() }).strict();
export const DoctorDecisionSchema = z.object({ decision: z.enum(['continue_home_isolation', 'centralised_isolation', 'hospital']), note: text(500).optional() }).strict();
export const SignOffSchema = z.object({ note: text(500).optional() }).strict();
export const AdoptPolicySchema = z.object({ version: text(40) }).strict();

export type Visit = z.infer<typeof VisitSchema>;
export type ContactAttempt = z.infer<typeof ContactAttemptSchema>;
export type Note = z.infer<typeof NoteSchema>;
export type Extension = z.infer<typeof ExtensionSchema>;
export type Transfer = z.infer<typeof TransferSchema>;
export type Retriage = z.infer<typeof RetriageSchema>;
export type Close = z.infer<typeof CloseSchema>;
export type DoctorDecision = z.infer<typeof DoctorDecisionSchema>;
export type SignOff = z.infer<typeof SignOffSchema>;
export type HealthCodeColour = z.infer<typeof HealthCodeColourSchema>;
