/**
 * A small Prometheus registry: counters, gauges and histograms with labels, rendered in
 * the text exposition format (version 0.0.4). Recording is a map lookup and an add, cheap
 * enough for hot paths such as WebSocket fan-out.
 */

type Labels = Record<string, string | number>

const escapeLabel = (v: string) => (/[\\"\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v)

// Callers pass labels in a fixed order per metric, so the key keeps insertion order: no sort
// on the hot path (a socket frame records a counter).
const labelKey = (labels?: Labels) => {
  if (!labels) return ''
  let key = ''
  for (const k in labels) key += `${key ? ',' : ''}${k}="${escapeLabel(String(labels[k]))}"`
  return key
}

interface Metric {
  render(): string
}

export interface Counter {
  inc(labels?: Labels, by?: number): void
  /** The series for `labels`, its key built once: for hot paths that always pass the same labels. */
  with(labels: Labels): { inc(by?: number): void }
}
export interface Gauge {
  set(value: number, labels?: Labels): void
  inc(labels?: Labels, by?: number): void
  dec(labels?: Labels, by?: number): void
}
export interface Histogram {
  observe(value: number, labels?: Labels): void
  /** The series for `labels`, its key built once: for hot paths that always pass the same labels. */
  with(labels: Labels): { observe(value: number): void }
  /** Returns a function that observes the seconds elapsed since this call. */
  startTimer(labels?: Labels): () => number
}

export interface Metrics {
  counter(name: string, help: string): Counter
  gauge(name: string, help: string): Gauge
  histogram(name: string, help: string, buckets?: number[]): Histogram
  render(): string
}

const DEFAULT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

/** A registry; asking twice for the same name returns the same metric. */
export function createMetrics(): Metrics {
  const metrics = new Map<string, Metric & object>()

  function register<T extends Metric>(name: string, make: () => T): T {
    const existing = metrics.get(name)
    if (existing) return existing as unknown as T
    const m = make()
    metrics.set(name, m)
    return m
  }

  const counterOrGauge = (name: string, help: string, type: 'counter' | 'gauge') => {
    const values = new Map<string, number>()
    return {
      add(labels: Labels | undefined, by: number) {
        this.addKey(labelKey(labels), by)
      },
      addKey(k: string, by: number) {
        values.set(k, (values.get(k) ?? 0) + by)
      },
      set(labels: Labels | undefined, v: number) {
        values.set(labelKey(labels), v)
      },
      render() {
        const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`]
        if (values.size === 0) lines.push(`${name} 0`)
        for (const [k, v] of values) lines.push(`${name}${k ? `{${k}}` : ''} ${v}`)
        return lines.join('\n')
      },
    }
  }

  return {
    counter(name, help) {
      return register(name, () => {
        const c = counterOrGauge(name, help, 'counter')
        return {
          render: c.render,
          inc: (labels?: Labels, by = 1) => c.add(labels, by),
          with(labels: Labels) {
            const k = labelKey(labels)
            return { inc: (by = 1) => c.addKey(k, by) }
          },
        }
      })
    },
    gauge(name, help) {
      return register(name, () => {
        const g = counterOrGauge(name, help, 'gauge')
        return {
          render: g.render,
          set: (v: number, labels?: Labels) => g.set(labels, v),
          inc: (labels?: Labels, by = 1) => g.add(labels, by),
          dec: (labels?: Labels, by = 1) => g.add(labels, -by),
        }
      })
    },
    histogram(name, help, buckets = DEFAULT_BUCKETS) {
      return register(name, () => {
        const series = new Map<string, { counts: number[]; sum: number; count: number }>()
        const observe = (value: number, labels?: Labels) => observeKey(value, labelKey(labels))
        const observeKey = (value: number, k: string) => {
          let s = series.get(k)
          if (!s) series.set(k, (s = { counts: buckets.map(() => 0), sum: 0, count: 0 }))
          for (let i = 0; i < buckets.length; i++) if (value <= buckets[i]!) s.counts[i]!++
          s.sum += value
          s.count++
        }
        return {
          observe,
          with(labels: Labels) {
            const k = labelKey(labels)
            return { observe: (value: number) => observeKey(value, k) }
          },
          startTimer(labels?: Labels) {
            const t0 = performance.now()
            return () => {
              const seconds = (performance.now() - t0) / 1000
              observe(seconds, labels)
              return seconds
            }
          },
          render() {
            const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`]
            for (const [k, s] of series) {
              const sep = k ? ',' : ''
              buckets.forEach((b, i) => lines.push(`${name}_bucket{${k}${sep}le="${b}"} ${s.counts[i]}`))
              lines.push(`${name}_bucket{${k}${sep}le="+Inf"} ${s.count}`)
              lines.push(`${name}_sum${k ? `{${k}}` : ''} ${s.sum}`)
              lines.push(`${name}_count${k ? `{${k}}` : ''} ${s.count}`)
            }
            return lines.join('\n')
          },
        }
      })
    },
    render() {
      return [...metrics.values()].map((m) => m.render()).join('\n') + '\n'
    },
  }
}
