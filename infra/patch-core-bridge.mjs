// Runs after npm ci (postinstall), with plain Node. Makes one exact, behaviour-preserving change to
// the Temporal SDK's native addon (sdk-core, compiled Rust) for Linux x64 in @temporalio/core-bridge
// 1.17.4, and does nothing to any other build.
//
// Why: after every event it handles (a new workflow task, an activation completed, a local activity
// resolved…), sdk-core's workflow stream calls `reconcile_buffered`, which first counts, over every
// cached workflow, those being evicted, and only then asks whether any task is waiting for a cache
// slot. With 10,000 cases cached that is a walk over 10,000 scattered 2.8 KB records, several times
// per workflow task, on the one thread that drives every workflow: in a 10,000-case deadline burst,
// half of the worker's CPU. The count only matters when a task is waiting for a slot, so the patch
// skips it when none is: `if buffered == 0 || cached == 0 { no evictions }`, where the shipped code
// tests only `cached == 0`. Both branches lead to code the compiler generated for the empty-cache
// case, whose result (no evictions) is what the full count gives when nothing is waiting.
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
  patched: 'fb2a873c66d90bcbe22b7effb7e1b795f194bd82a727c1149a30d8415797e668',
};

// Virtual addresses in the shipped file (objdump -d). The executable segment is loaded 0x1000 above
// its file offset.
const FILE_OFFSET = -0x1000;
const TEST_CACHED = 0x13c33ce; // test %r15,%r15 ; je NO_EVICTIONS   (r15 = cached runs)
const COUNT_LOOP = 0x13c33d3; // the count over every cached run, then the eviction loop
const NO_EVICTIONS = 0x13c33f8; // the empty-cache path: an empty eviction list
const PADDING = 0x16f11d0; // inside 57 bytes of int3 between two assembly functions of aws-lc

const rel32 = (next, target) => { const b = Buffer.alloc(4); b.writeInt32LE(target - next); return b; };
const jmp = (at, target) => Buffer.concat([Buffer.from([0xe9]), rel32(at + 5, target)]);
const je = (at, target) => Buffer.concat([Buffer.from([0x0f, 0x84]), rel32(at + 6, target)]);

// rbp holds the number of tasks waiting for a cache slot (loaded just before, and only used here).
const detour = Buffer.concat([
  Buffer.from([0x48, 0x85, 0xed]), // test %rbp,%rbp          nothing waiting for a slot?
  je(PADDING + 3, NO_EVICTIONS),
  Buffer.from([0x4d, 0x85, 0xff]), // test %r15,%r15          the shipped test: empty cache?
  je(PADDING + 12, NO_EVICTIONS),
  jmp(PADDING + 18, COUNT_LOOP),
]);
const EDITS = [
  { at: TEST_CACHED, shipped: Buffer.from('4d85ff7425', 'hex'), patched: jmp(TEST_CACHED, PADDING) },
  { at: PADDING, shipped: Buffer.alloc(detour.length, 0xcc), patched: detour },
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
  const state = Object.keys(SHA256).find((name) => SHA256[name] === hash) ?? 'unknown';
  const wanted = process.env.SANFAN_CORE_BRIDGE_PATCH === 'off' ? 'shipped' : 'patched';
  if (process.argv.includes('--check') || state === wanted) return say(state);
  if (state === 'unknown') return say('not the 1.17.4 build this patch was made for; left as shipped');
  const result = rewrite(bytes, state, wanted);
  if (!result || sha256(result) !== SHA256[wanted]) return say('bytes not as expected; left unchanged');
  // A new file, renamed over the old one: a process that has the addon loaded keeps its copy.
  writeFileSync(`${addon}.sanfan-new`, result);
  renameSync(`${addon}.sanfan-new`, addon);
  say(wanted);
}

main();
