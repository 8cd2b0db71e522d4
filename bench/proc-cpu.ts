// CPU time of a server process from /proc (Linux): the whole process (every thread, the
// embedded database's included) and its main thread alone (the event loop). Clock ticks are
// 10 ms, so a measured phase should last seconds.
import { readdirSync, readFileSync } from 'node:fs'

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

/** CPU µs of each thread of the process, summed by thread name (`--trace` prints where the process CPU goes). */
export function sampleThreads(pid: number): Map<string, number> {
  const out = new Map<string, number>()
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const name = tid === String(pid) ? 'event loop' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '#')
      out.set(name, (out.get(name) ?? 0) + ticks(`/proc/${pid}/task/${tid}/stat`) * TICK_US)
    } catch {} // the thread ended between the listing and the read
  }
  return out
}

/** Per thread name: CPU µs between two samples per unit of work, largest first. */
export function threadsPer(before: Map<string, number>, after: Map<string, number>, units: number): string {
  return [...after]
    .map(([name, us]) => [name, (us - (before.get(name) ?? 0)) / units] as const)
    .filter(([, us]) => us > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, us]) => `${name} ${us.toFixed(2)}`)
    .join(', ')
}

/** CPU µs of every process of this name on the machine (`postgres`: the database server's work, which the server's own process does not show). */
export function sampleProcessesNamed(name: string): number {
  let us = 0
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === name) us += ticks(`/proc/${pid}/stat`) * TICK_US
    } catch {} // the process ended between the listing and the read
  }
  return us
}
