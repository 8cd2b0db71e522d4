import { describe, expect, test } from 'bun:test'
import { createMetrics } from './metrics'

describe('metrics registry', () => {
  test('counters, gauges and histograms render as Prometheus text', () => {
    const m = createMetrics()
    const c = m.counter('jobs_total', 'Jobs')
    c.inc({ kind: 'a' })
    c.inc({ kind: 'a' }, 2)
    c.inc({ kind: 'say "hi"\n' })
    const g = m.gauge('open', 'Open things')
    g.inc()
    g.inc()
    g.dec()
    const h = m.histogram('latency_seconds', 'Latency', [0.1, 1])
    h.observe(0.05, { route: '/x' })
    h.observe(0.5, { route: '/x' })
    h.observe(5, { route: '/x' })
    const text = m.render()
    expect(text).toContain('# TYPE jobs_total counter\njobs_total{kind="a"} 3')
    expect(text).toContain('jobs_total{kind="say \\"hi\\"\\n"} 1')
    expect(text).toContain('open 1')
    expect(text).toContain('latency_seconds_bucket{route="/x",le="0.1"} 1')
    expect(text).toContain('latency_seconds_bucket{route="/x",le="1"} 2')
    expect(text).toContain('latency_seconds_bucket{route="/x",le="+Inf"} 3')
    expect(text).toContain('latency_seconds_count{route="/x"} 3')
    expect(m.counter('jobs_total', 'again')).toBe(c)
  })
})
