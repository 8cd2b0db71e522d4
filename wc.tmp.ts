import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
const anon = () => Math.round(Number(readFileSync('/proc/self/status','utf8').match(/RssAnon:\s+(\d+)/)![1]) / 1000)
const dist = dirname(Bun.resolveSync('@electric-sql/pglite', process.cwd()))
const bytes = await Bun.file(join(dist, 'pglite.wasm')).arrayBuffer()
const a = anon()
const wasm = await WebAssembly.compile(bytes)
await Bun.sleep(1000)
Bun.gc(true); console.log(process.env.LABEL, 'compile +', anon() - a, 'MB')
