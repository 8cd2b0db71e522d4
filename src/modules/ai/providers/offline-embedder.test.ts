import { describe, expect, test } from 'bun:test'
import { createOfflineEmbedder, embedOffline } from './offline-embedder'

const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * (b[i] as number), 0)

describe('offline embedder', () => {
  const embedder = createOfflineEmbedder({ dim: 256 })

  test('returns one unit vector of the configured dimension per text, in order', async () => {
    const vectors = await embedder.embed(['first', '두 번째', ''])
    expect(vectors.length).toBe(3)
    for (const v of vectors) {
      expect(v.length).toBe(256)
      expect(Math.hypot(...v)).toBeCloseTo(1, 10)
    }
    expect(embedder).toMatchObject({ name: 'offline', model: 'offline', dim: 256 })
  })

  test('is deterministic, and the same in another process', async () => {
    const text = '교통카드 할인 혜택 Transit card'
    const here = embedOffline(text, 64)
    expect(embedOffline(text, 64)).toEqual(here)
    const child = Bun.spawnSync({
      cmd: [
        process.execPath,
        '-e',
        `import { embedOffline } from './offline-embedder'; console.log(JSON.stringify(embedOffline(${JSON.stringify(text)}, 64)))`,
      ],
      cwd: import.meta.dir,
    })
    expect(child.exitCode).toBe(0)
    expect(JSON.parse(child.stdout.toString())).toEqual(here)
  })

  test('Korean texts sharing word pieces are closer than unrelated ones', () => {
    const card = embedOffline('교통카드', 256)
    const transitDiscount = embedOffline('교통비 할인', 256)
    const dogFood = embedOffline('반려견 사료', 256)
    expect(cosine(card, transitDiscount)).toBeGreaterThan(cosine(card, dogFood))
    expect(cosine(card, transitDiscount)).toBeGreaterThan(0.1)
  })

  test('matches across spacing and particles', () => {
    const query = embedOffline('교통카드 혜택', 256)
    const spaced = embedOffline('교통 카드를 쓰면 혜택이 있습니다', 256)
    const unrelated = embedOffline('강아지 산책 시간', 256)
    expect(cosine(query, spaced)).toBeGreaterThan(cosine(query, unrelated))
  })

  test('ignores case, width and whitespace differences', () => {
    expect(embedOffline('Refund  Policy\n', 128)).toEqual(embedOffline('refund policy', 128))
    expect(embedOffline('ＡＢＣ', 128)).toEqual(embedOffline('abc', 128))
  })

  test('an aborted signal stops it', async () => {
    const controller = new AbortController()
    controller.abort()
    expect(embedder.embed(['x'], controller.signal)).rejects.toThrow()
  })
})
