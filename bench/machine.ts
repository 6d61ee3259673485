// What the numbers were measured on: they mean little without it.
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
}

export function describeMachine(): Machine {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export function machineLine(machine: Machine): string {
  return `${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ${machine.platform}`;
}

/** The 1-minute load average: other work on the machine shows up here (the bench adds its own). */
export function loadAverage(): number {
  return Math.round(loadavg()[0] * 100) / 100;
}

/** The Temporal server the run measured, and for the bench's own dev server what its visibility table indexes. */
export function temporalLine(address: string, server?: { visibilityIndexes?: string; visibilityIndexNames?: string[] }): string {
  if (!server) return `TEMPORAL_ADDRESS ${address} (server not measured)`;
  const names = server.visibilityIndexNames;
  const indexes = names ? `, ${names.length} indexes: ${names.join(', ')}` : '';
  return `embedded dev server (SQLite WAL, temp file; visibility table ${server.visibilityIndexes ?? 'as the server wrote it'}${indexes}) at ${address}`;
}
