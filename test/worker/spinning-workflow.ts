// A workflow that never yields: what the workflow thread's guard is there for.
export async function spinForever(): Promise<never> {
  for (;;) {
    // a bug: busy-waits instead of sleeping
  }
}
