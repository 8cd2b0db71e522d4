// bench:stream's per-chunk cost, one layer at a time: CPU per chunk of reading a streamed
// OpenAI answer in this process, from a fake server in another process (its CPU not counted).
// Layers: `raw` (Bun.connect, each TCP read counted and dropped: the floor of receiving a
// chunk at all), `global-fetch` (Bun's fetch, body read), `socket-fetch` (huddle's client,
// body read), `parsed` (+ SseParser and JSON.parse), `provider` (the openai provider's stream:
// SDK request, parser, generator, idle guard). Variants alternate within each round.
// Usage: bun run bench/stream-layers.ts [--streams=100] [--chunks=200] [--pace-ms=4] [--rounds=3]
import { createOpenAiChat } from '../src/modules/ai/providers/openai-provider'
import { createSocketFetch } from '../src/modules/ai/socket-fetch'
import { SseParser } from '../src/modules/ai/sse-decoder'
import { startFakeOpenAi } from '../test/fakes/fake-openai'
import { repeatedText } from '../test/fakes/fake-script'

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback)
const STREAMS = arg('streams', 100)
const CHUNKS = arg('chunks', 200)
const PACE_MS = arg('pace-ms', 4)
const ROUNDS = arg('rounds', 3)

if (process.argv.includes('--serve-fake')) {
  const fake = startFakeOpenAi({ script: { text: repeatedText(CHUNKS), tokensPerChunk: 1, chunkDelayMs: PACE_MS } })
  console.log(fake.url)
  await new Promise(() => {})
}

const fakeProcess = Bun.spawn([process.execPath, import.meta.path, '--serve-fake', `--chunks=${CHUNKS}`, `--pace-ms=${PACE_MS}`], { stdout: 'pipe', stderr: 'inherit' })
const url = new TextDecoder().decode((await fakeProcess.stdout.getReader().read()).value).trim()
const cpuUs = () => {
  const u = process.cpuUsage()
  return u.user + u.system
}
const body = JSON.stringify({ model: 'bench', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] })
const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body }
const socketFetch = createSocketFetch()
const chat = createOpenAiChat({ baseURL: url, timeoutMs: 30_000 })

async function drain(res: Response, onBytes?: (bytes: Uint8Array) => void): Promise<void> {
  const reader = res.body!.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    onBytes?.(value)
  }
}

const layers: Record<string, () => Promise<void>> = {
  raw: () => {
    const u = new URL(url)
    const head = `POST ${u.pathname}/chat/completions HTTP/1.1\r\nhost: ${u.host}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`
    return new Promise<void>((resolve, reject) => {
      Bun.connect({ hostname: u.hostname, port: Number(u.port), socket: { open: (s) => void s.write(head + body), data: () => {}, close: () => resolve(), connectError: (_, e) => reject(e) } }).catch(reject)
    })
  },
  'global-fetch': async () => drain(await fetch(`${url}/chat/completions`, post)),
  'socket-fetch': async () => drain(await socketFetch(`${url}/chat/completions`, post)),
  parsed: async () => {
    const parser = new SseParser()
    const parse = (events: Iterable<{ data: string }>) => {
      for (const e of events) if (!e.data.startsWith('[DONE]')) JSON.parse(e.data)
    }
    await drain(await socketFetch(`${url}/chat/completions`, post), (bytes) => parse(parser.push(bytes)))
    parse(parser.end())
  },
  provider: async () => {
    for await (const chunk of chat.stream({ messages: [{ role: 'user', content: 'hi' }] })) void chunk
  },
}

const perChunk = new Map<string, number[]>()
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(layers)) {
      const before = cpuUs()
      await Promise.all(Array.from({ length: STREAMS }, run))
      perChunk.set(name, [...(perChunk.get(name) ?? []), (cpuUs() - before) / (STREAMS * CHUNKS)])
    }
  }
} finally {
  // The fake must not outlive a failed run.
  fakeProcess.kill()
  socketFetch.close()
}
console.log(`CPU per chunk of this process, µs: ${STREAMS} streams at once × ${CHUNKS} chunks ${PACE_MS} ms apart, ${ROUNDS} rounds (median, range)\n`)
console.log('| layer | median | range |\n|---|---:|---|')
for (const [name, values] of perChunk) {
  const sorted = [...values].sort((a, b) => a - b)
  console.log(`| ${name} | ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} | ${sorted[0]!.toFixed(1)}–${sorted.at(-1)!.toFixed(1)} |`)
}
process.exit(0)
