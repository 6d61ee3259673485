// A workflow that keeps a value in a global of its own: what the workflow sandbox's scope switch
// must keep apart between cached cases that share one V8 context.
import { condition, defineQuery, defineUpdate, setHandler } from '@temporalio/workflow';

export type GlobalChange = { set: string } | { getter: string } | { remove: true };
export const changeGlobal = defineUpdate<void, [GlobalChange]>('changeGlobal');
export const readGlobal = defineQuery<string | null>('readGlobal');

const key = 'sanfanProbe';

export async function keepsAGlobal(): Promise<void> {
  setHandler(changeGlobal, (change) => {
    if ('set' in change) Object.defineProperty(globalThis, key, { value: change.set, writable: true, configurable: true });
    else if ('getter' in change) Object.defineProperty(globalThis, key, { get: () => change.getter, configurable: true });
    else delete (globalThis as Record<string, unknown>)[key];
  });
  setHandler(readGlobal, () => ((globalThis as Record<string, unknown>)[key] as string | undefined) ?? null);
  await condition(() => false);
}
