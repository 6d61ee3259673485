// The procedure's rules and types, pure and free of I/O: safe inside the workflow sandbox.
// (Validation schemas live in ./schemas and are imported directly by the API, so that zod stays
// out of the workflow bundle.)
export * from './case';
export * from './guards';
export * from './id-card';
export * from './notices';
export * from './policy';
export * from './slots';
export * from './time';
export * from './triage';
export * from './view';
export * from './villages';
