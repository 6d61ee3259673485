// `npm run token -- --role caseworker --village dafenshanyan [--village jingding] [--sub 网格员01] [--ttl-hours 12]`
// prints a bearer token signed with this deployment's token secret, valid for one shift (12 hours)
// unless --ttl-hours says otherwise: a token that leaks is not good for ever.
import { parseArgs } from 'node:util';
import { VILLAGE_IDS } from '../domain/villages';
import { loadConfig } from '../infra/config';
import { loadSecrets } from '../infra/secrets';
import { mintToken, STAFF_ROLES, type StaffRole } from './auth';

const DEFAULT_TTL_HOURS = 12;

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    village: { type: 'string', multiple: true },
    sub: { type: 'string' },
    'ttl-hours': { type: 'string' },
  },
});

const role = values.role as StaffRole;
const villages = values.village ?? [];
const fail = (message: string): never => {
  console.error(`${message}\nusage: npm run token -- --role ${STAFF_ROLES.join('|')} [--village ${VILLAGE_IDS.join('|')}]… [--sub ID] [--ttl-hours N]`);
  process.exit(2);
};
if (!STAFF_ROLES.includes(role)) fail(`--role must be one of ${STAFF_ROLES.join(', ')}`);
if (role === 'caseworker' && villages.length === 0) fail('a caseworker token needs at least one --village');
const unknown = villages.filter((v) => !VILLAGE_IDS.includes(v));
if (unknown.length) fail(`unknown village: ${unknown.join(', ')}`);
const ttlHours = values['ttl-hours'] === undefined ? DEFAULT_TTL_HOURS : Number(values['ttl-hours']);
if (!(ttlHours > 0)) fail('--ttl-hours must be a positive number');

const secrets = loadSecrets(loadConfig().dataDir);
const now = Date.now();
console.error(`valid until ${new Date(now + ttlHours * 3_600_000).toISOString()}`);
console.log(mintToken(secrets.tokenSecret, { sub: values.sub ?? `${role}-dev`, role, villages }, Math.round(ttlHours * 3600), now));
