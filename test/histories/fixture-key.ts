// The payload key of the recorded histories in this folder: a test-only key, committed on
// purpose so that replay can decode them. It protects nothing real.
export const FIXTURE_ENCRYPTION_KEYS = [
  { id: 'fixture', key: Buffer.from('c2FuZmFuLWZpeHR1cmUta2V5LTMyLWJ5dGVzLWxvbmc=', 'base64') },
];
