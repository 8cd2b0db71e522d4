import { join } from 'node:path'

/** The console's files as served: the page, its script and its stylesheet. */
export interface ConsoleBundle {
  html: string
  js: string
  css: string
}

const WEB_DIR = join(import.meta.dir, 'web')

/**
 * Builds the console with Bun's bundler: the browser code and the AI SDK's client code it
 * imports become one script, so the page needs nothing from the network. Built once per
 * process, on first use; a build error is thrown with Bun's messages.
 */
export async function buildConsole(): Promise<ConsoleBundle> {
  const result = await Bun.build({ entrypoints: [join(WEB_DIR, 'main.ts')], target: 'browser', minify: true, sourcemap: 'none' })
  if (!result.success) throw new AggregateError(result.logs, 'console build failed')
  const js = await result.outputs[0]!.text()
  const [html, css] = await Promise.all([Bun.file(join(WEB_DIR, 'index.html')).text(), Bun.file(join(WEB_DIR, 'style.css')).text()])
  return { html, js, css }
}
