// Runs after npm ci (postinstall), with plain Node. Makes one exact, behaviour-preserving change to
// the Temporal SDK's native addon (sdk-core, compiled Rust) for Linux x64 in @temporalio/core-bridge
// 1.17.4, and does nothing to any other build.
//
// Why: after every event it handles (a new workflow task, an activation completed, a local activity
// resolved…), sdk-core's workflow stream calls `reconcile_buffered`, which makes sure that as many
// cached runs are being evicted as there are tasks waiting for a cache slot. It first counts, over
// every cached run, those being evicted, and only then compares with the waiting tasks. With 10,000
// cases cached that is a walk along a linked list of 10,000 scattered 2.8 KB records, one dependent
// load after another, several times per workflow task, on the one thread that drives every
// workflow: half of the worker's CPU in a 10,000-case deadline burst (nothing waiting), 36–58 % of
// a core in a check-in rush at 20,000 open cases (cache full, tasks waiting; ~4 ms per walk).
// The count's only use is `needed = max(waiting − count, 0)`, so the patched count
//   1. does not start when nothing waits (needed is 0 whatever the count);
//   2. looks at the 64 most recently used runs first, and stops as soon as it has found as many
//      being evicted as tasks wait (needed is 0 then too). A run being evicted has just been
//      touched (requesting its eviction moves it to the front), so this is where they are: at 20,000
//      open cases 87 % of the counts stopped here, after 8 records on average;
//   3. otherwise counts over every cached run again, through the cache's hash table rather than
//      along the list: its slots lie in one array, so the records' loads overlap instead of each
//      waiting for the one before. It stops early the same way.
// The result where it matters is the shipped one; the eviction loop after it is not changed.
//
// How: the shipped `test %r15,%r15 ; je <empty cache>`, the count's set-up and the first bytes of its
// loop are replaced by the count above; the rest of the shipped loop is left, unreachable. The code
// after the count reads what it reads after the shipped one: rcx (the count, or a part of it at least
// as large as the waiting tasks), rbp, r15, r12 and rbx (the oldest record, where the evictions
// start) untouched, r9 1<<63; rax, rdx, rsi, rdi and r8 are written before they are read again.
// Checked under gdb at every count of a 400-workflow run through a cache of 100 (1,017 counts):
// the table holds the same records as the list, and max(waiting − count, 0) was the shipped value.
//
// Safety: the file is changed only if its SHA-256 is the shipped one, and the result must have the
// expected SHA-256; otherwise the shipped file is left as it is. SANFAN_CORE_BRIDGE_PATCH=off
// restores the shipped bytes. `node infra/patch-core-bridge.mjs --check` prints the state.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const addon = join(root, 'node_modules/@temporalio/core-bridge/releases/x86_64-unknown-linux-gnu/index.node');
const SHA256 = {
  shipped: 'c4b5675e849b2859666278851408afcc239bf92f0ed2c1193558583213e7d0a8',
  patched: 'e29049ac390b023c1e53dda32da1d07fbfbfb58c73b3e84f0320b02d32ee3ab5',
};
// What sanfan's first version of this patch (which only skipped the count when nothing waits) left;
// npm ci puts the shipped file back, which is then patched.
const EARLIER_PATCH = 'fb2a873c66d90bcbe22b7effb7e1b795f194bd82a727c1149a30d8415797e668';

// Virtual addresses in the shipped file (objdump -d). The executable segment is loaded 0x1000 above
// its file offset. Registers on entry: r12 the run cache (its LRU list's head sentinel at 0xa8),
// r15 the number of cached runs, rbp the number of tasks waiting for a slot. A cached run's record
// has its next-older neighbour at 0xaf8 and, at 0xa50, `trying_to_evict` (None is 1 << 63).
const FILE_OFFSET = -0x1000;
const COUNT = 0x13c33ce; // test %r15,%r15 ; je NO_EVICTIONS ; then the shipped count's set-up
const NO_EVICTIONS = 0x13c33f8; // the empty-cache path: an empty eviction list
const LOOP = 0x13c3407; // the shipped count's unrolled loop
const COUNTED = 0x13c34bf; // after the count: needed = max(rbp − rcx, 0), then the evictions

// A little assembler: parts are bytes, a label (a string), or a jump [opcode, label or address]
// whose displacement follows the opcode: rel32 after e9, rel8 after any other one-byte opcode.
function code(at, parts) {
  const size = (part) => (typeof part === 'string' ? 0 : Buffer.isBuffer(part) ? part.length : part[0].length + (part[0][0] === 0xe9 ? 4 : 1));
  const labels = {};
  let here = at;
  for (const part of parts) { if (typeof part === 'string') labels[part] = here; here += size(part); }
  here = at;
  const out = parts.filter((part) => typeof part !== 'string').map((part) => {
    here += size(part);
    if (Buffer.isBuffer(part)) return part;
    const [opcode, to] = part;
    const displacement = (labels[to] ?? to) - here;
    const bytes = Buffer.alloc(opcode[0] === 0xe9 ? 4 : 1);
    if (bytes.length === 4) bytes.writeInt32LE(displacement); else bytes.writeInt8(displacement);
    return Buffer.concat([opcode, bytes]);
  });
  return Buffer.concat(out);
}
const hex = (text) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

const NEWEST = 64; // records looked at from the newest end before counting over the whole table

const setUp = code(COUNT, [
  hex('48 85 ed'), [hex('74'), NO_EVICTIONS], //      test %rbp,%rbp ; je   nothing waits
  hex('4d 85 ff'), [hex('74'), NO_EVICTIONS], //      test %r15,%r15 ; je   empty cache (the shipped test)
  hex('49 8b 94 24 a8 00 00 00'), //                   mov  0xa8(%r12),%rdx  the list's head sentinel
  hex('31 c9'), //                                     xor  %ecx,%ecx        evicting runs found
  hex('4c 89 fe'), //                                  mov  %r15,%rsi        records not yet looked at
  hex('49 b9 00 00 00 00 00 00 00 80'), //             movabs $1<<63,%r9     None, as the shipped count sets it
  hex('b8'), Buffer.from([NEWEST, 0, 0, 0]), //        mov  $NEWEST,%eax
  [hex('eb'), LOOP], //                                jmp  LOOP
]);
const loop = code(LOOP, [
  'newest', //                                         1. the newest records, along the list
  hex('48 8b 92 f8 0a 00 00'), //                      mov  0xaf8(%rdx),%rdx the next record, newest first
  hex('4c 39 8a 50 0a 00 00'), [hex('74'), 'not'], //  cmp  %r9,0xa50(%rdx) ; je  not being evicted
  hex('48 ff c1'), //                                  inc  %rcx
  hex('48 39 e9'), [hex('73'), 'done'], //             cmp  %rbp,%rcx ; jae  as many as wait: needed is 0
  'not',
  hex('48 ff ce'), [hex('74'), 'done'], //             dec  %rsi ; je   all looked at: the exact count
  hex('ff c8'), [hex('75'), 'newest'], //              dec  %eax ; jne  newest
  //                                                   2. not enough there: count again over the whole
  //                                                   hash table of the cache (at 0x78: ctrl, bucket
  //                                                   mask), whose slots lie in one array, so the
  //                                                   records' loads overlap instead of queueing
  //                                                   behind one another as along the list
  hex('49 8b 44 24 78'), //                            mov  0x78(%r12),%rax  ctrl bytes; slot i ends at ctrl - 16i
  hex('49 8b b4 24 80 00 00 00'), //                   mov  0x80(%r12),%rsi  bucket mask
  hex('48 ff c6'), //                                  inc  %rsi             slots
  hex('31 c9'), //                                     xor  %ecx,%ecx
  hex('48 89 c7'), //                                  mov  %rax,%rdi        this slot's ctrl byte
  hex('48 8d 50 f8'), //                               lea  -0x8(%rax),%rdx  this slot's record pointer
  'slot',
  hex('80 3f 00'), [hex('78'), 'free'], //             cmpb $0,(%rdi) ; js   empty or deleted slot
  hex('4c 8b 02'), //                                  mov  (%rdx),%r8
  hex('4d 39 88 50 0a 00 00'), [hex('74'), 'free'], // cmp  %r9,0xa50(%r8) ; je  not being evicted
  hex('48 ff c1'), //                                  inc  %rcx
  hex('48 39 e9'), [hex('73'), 'done'], //             cmp  %rbp,%rcx ; jae  as many as wait
  'free',
  hex('48 ff c7'), //                                  inc  %rdi
  hex('48 83 ea 10'), //                               sub  $0x10,%rdx
  hex('48 ff ce'), [hex('75'), 'slot'], //             dec  %rsi ; jne  slot
  'done',
  [hex('e9'), COUNTED], //                             jmp  COUNTED
]);
const EDITS = [
  {
    at: COUNT,
    shipped: hex('4d85ff7425 4489f883e0034983ff047328488d9424700f000031c949b90000000000000080e9a8000000'),
    patched: Buffer.concat([setUp, Buffer.alloc(NO_EVICTIONS - COUNT - setUp.length, 0xcc)]),
  },
  {
    at: LOOP,
    shipped: hex(`4c89fe4883e6fc488d9424700f000031c949b9000000000000008066666666662e0f1f840000000000488b12488bbaf00a
      00004531c04c398a500a0000410f95c04901c831c94c398f500a0000488b97f00a00000f95c14c01c1488bbaf00a00004531c0`),
    patched: loop,
  },
];

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const say = (line) => console.log(`[sanfan] core-bridge addon: ${line}`);

function rewrite(bytes, from, to) {
  const out = Buffer.from(bytes);
  for (const edit of EDITS) {
    const offset = edit.at + FILE_OFFSET;
    if (!out.subarray(offset, offset + edit[from].length).equals(edit[from])) return undefined;
    edit[to].copy(out, offset);
  }
  return out;
}

function main() {
  if (!existsSync(addon)) return say('no Linux x64 build installed; nothing to do');
  const bytes = readFileSync(addon);
  const hash = sha256(bytes);
  const state = Object.keys(SHA256).find((name) => SHA256[name] === hash) ?? (hash === EARLIER_PATCH ? 'earlier' : 'unknown');
  const wanted = process.env.SANFAN_CORE_BRIDGE_PATCH === 'off' ? 'shipped' : 'patched';
  if (process.argv.includes('--check') || state === wanted) return say(state);
  if (state === 'earlier') return say('patched by an earlier sanfan; npm ci reinstalls the shipped file, then patches it');
  if (state === 'unknown') return say('not the 1.17.4 build this patch was made for; left as shipped');
  const result = rewrite(bytes, state, wanted);
  if (!result || sha256(result) !== SHA256[wanted]) return say('bytes not as expected; left unchanged');
  // A new file, renamed over the old one: a process that has the addon loaded keeps its copy.
  writeFileSync(`${addon}.sanfan-new`, result);
  renameSync(`${addon}.sanfan-new`, addon);
  say(wanted);
}

main();
