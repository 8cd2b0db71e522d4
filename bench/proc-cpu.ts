// CPU time of a server process from /proc (Linux): the whole process (every thread, the
// embedded database's included) and its main thread alone (the event loop). Clock ticks are
// 10 ms, so a measured phase should last seconds.
import { readFileSync } from 'node:fs'

const TICK_US = 10_000

function ticks(path: string): number {
  // Fields after the command name (which may contain spaces): utime is the 12th, stime the 13th.
  const stat = readFileSync(path, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(f[11]) + Number(f[12])
}

export interface CpuSample {
  processUs: number
  mainThreadUs: number
}

export function sampleCpu(pid: number): CpuSample {
  return { processUs: ticks(`/proc/${pid}/stat`) * TICK_US, mainThreadUs: ticks(`/proc/${pid}/task/${pid}/stat`) * TICK_US }
}

/** CPU µs spent between two samples, per unit of work. */
export function cpuPer(before: CpuSample, after: CpuSample, units: number): CpuSample {
  return { processUs: (after.processUs - before.processUs) / units, mainThreadUs: (after.mainThreadUs - before.mainThreadUs) / units }
}
