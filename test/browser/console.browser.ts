/**
 * The huddle console in a real browser (Debian's chromium driven by playwright-core) against a
 * listening huddle: every surface's main path, and two browser contexts talking in one
 * messenger room and one couples session. Run with `bun run test:browser`; skipped (and
 * counted as skipped) where no chromium is installed. Screenshots of a failing test go to
 * BROWSER_ARTIFACTS_DIR (default test-artifacts/).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { createTestApp, type TestApp } from '../support/app'

// A browser step waits on real rendering and sockets; 5 s is too tight on a loaded machine.
setDefaultTimeout(30_000)

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)
const ARTIFACTS = process.env.BROWSER_ARTIFACTS_DIR ?? 'test-artifacts'
const PNG = gradientPng(160, 96)

/** A real PNG (RGB gradient) made here, for the image upload and its preview. */
function gradientPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const out = Buffer.alloc(12 + data.length)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(Bun.hash.crc32(body) >>> 0, 8 + data.length)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8)
  const rows = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) rows.set([56 + x, 87 + y, 214], y * (width * 3 + 1) + 1 + x * 3)
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))])
}

let t: TestApp
let base: string
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  if (!hasChromium) return
  t = await createTestApp()
  base = await t.listen()
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await t?.close()
})

/** A fresh browser context (its own cookies), on the console. */
async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  contexts.push(context)
  const page = await context.newPage()
  await page.goto(`${base}/`)
  return page
}

/** Registers and signs in through the console's own forms. */
async function signUp(page: Page, name: string): Promise<{ email: string; password: string }> {
  const email = `${name.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}@example.test`
  const password = 'correct horse battery'
  const register = page.getByTestId('register')
  await register.locator('[name=name]').fill(name)
  await register.locator('[name=email]').fill(email)
  await register.locator('[name=password]').fill(password)
  await register.locator('button').click()
  await expect(page.getByTestId('account-status')).toBeDefined()
  await until(page, 'account-status', (text) => text !== '')
  const signIn = page.getByTestId('sign-in')
  await signIn.locator('[name=email]').fill(email)
  await signIn.locator('[name=password]').fill(password)
  await signIn.locator('button').click()
  await page.getByTestId('me').waitFor()
  return { email, password }
}

/** Runs a browser step; on failure saves a screenshot of every open page, then fails. */
async function step(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn()
  } catch (e) {
    mkdirSync(ARTIFACTS, { recursive: true })
    let i = 0
    for (const c of contexts) for (const p of c.pages()) writeFileSync(join(ARTIFACTS, `${name}-${i++}.png`), await p.screenshot({ fullPage: true }))
    throw e
  }
}

const textOf = (page: Page, testId: string) => page.getByTestId(testId).innerText()

/** Waits (within the test's timeout) until an element's text satisfies `ok`. */
async function until(page: Page, testId: string, ok: (text: string) => boolean): Promise<void> {
  const el = page.getByTestId(testId).first()
  await el.waitFor({ state: 'attached' })
  while (!ok(await el.innerText())) await page.waitForTimeout(50)
}

describe.skipIf(!hasChromium)('huddle console in chromium', () => {
  let alice: Page
  let bob: Page
  let bobLogin: { email: string; password: string }

  test('/ redirects to the console; registering and signing in show the user', async () => {
    await step('sign-in', async () => {
      alice = await newPage()
      expect(alice.url()).toBe(`${base}/console`)
      await signUp(alice, 'Alice')
      expect(await textOf(alice, 'me')).toBe('Alice')
      bob = await newPage()
      bobLogin = await signUp(bob, 'Bob')
    })
  })

  test('messenger: two browsers in one room — messages, typing, presence, read state, image preview', async () => {
    await step('messenger', async () => {
      await alice.getByTestId('people-query').fill('Bob')
      await alice.getByTestId('people-query').press('Enter')
      await alice.locator('[data-testid^=person-]').first().check()
      await alice.getByTestId('create-room').click()
      await alice.getByTestId('room-title').waitFor()

      await bob.reload()
      await bob.locator('[data-testid^=room-]').first().click()
      await bob.getByTestId('room-title').waitFor()
      await until(alice, 'presence', (text) => text.includes('Bob'))

      await alice.getByTestId('composer').pressSequentially('hi')
      await until(bob, 'typing', (text) => text.includes('Alice'))
      await alice.getByTestId('composer').fill('안녕 Bob, 콘솔에서 보냄')
      await alice.getByTestId('send').click()
      await bob.getByTestId('message').filter({ hasText: '콘솔에서 보냄' }).waitFor()
      // Bob's page read it on arrival: Alice sees the receipt.
      await until(alice, 'reads', (text) => text !== '')

      await bob.getByTestId('file').setInputFiles({ name: 'gradient.png', mimeType: 'image/png', buffer: PNG })
      await bob.getByTestId('send').click()
      const img = alice.getByTestId('image-preview')
      await img.waitFor()
      await alice.waitForFunction((img) => (img as unknown as { complete: boolean }).complete, await img.elementHandle())
      expect(await img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBe(160)
      expect(await textOf(alice, 'reads')).toContain('Bob')
      if (process.env.CONSOLE_SCREENSHOT) writeFileSync(process.env.CONSOLE_SCREENSHOT, await alice.screenshot())
    })
  })

  test('docs: upload, the ingest result, and a streamed answer with its sources (503 naming vector without pgvector)', async () => {
    await step('docs', async () => {
      await alice.getByTestId('nav-docs').click()
      await alice.getByTestId('ingest-file').setInputFiles({
        name: 'harbor-policy.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('Harbor Lane office policy.\n\nThe night shift at Harbor Lane starts at 22:00 and the canteen closes at 21:30.\n'),
      })
      await alice.getByTestId('ingest-submit').click()
      if (!t.database.hasVector) {
        await until(alice, 'docs-status', (text) => text.includes('vector'))
        return
      }
      await until(alice, 'ingest-result', (text) => text.includes('"chunks"'))
      expect(await textOf(alice, 'documents')).toContain('harbor-policy.txt')
      await alice.getByTestId('docs-question').fill('When does the Harbor Lane night shift start?')
      await alice.getByTestId('docs-ask').click()
      await alice.getByTestId('sources').locator('li').first().waitFor()
      await until(alice, 'answer', (text) => text.includes('22:00'))
      expect(await textOf(alice, 'sources')).toContain('harbor-policy.txt')
    })
  })

  test('petcare: a pet, the flow events as a timeline, and the recipe against its AAFCO profile', async () => {
    await step('petcare', async () => {
      await alice.getByTestId('nav-petcare').click()
      await alice.getByTestId('pet-name').fill('보리')
      await alice.getByTestId('pet-age').fill('4')
      await alice.getByTestId('pet-weight').fill('10')
      await alice.getByTestId('pet-save').click()
      while ((await alice.getByTestId('pet').inputValue()) !== '보리') await alice.waitForTimeout(50)
      await alice.getByTestId('petcare-question').fill('소고기랑 고구마로 레시피 만들어줘')
      await alice.getByTestId('petcare-ask').click()
      await alice.getByTestId('event-end').waitFor()
      for (const type of ['start', 'tool_selection', 'recipe_flow', 'new_recipe_message']) expect(await alice.getByTestId(`event-${type}`).count()).toBeGreaterThan(0)
      const rows = alice.getByTestId('nutrients').locator('tr')
      expect(await rows.count()).toBeGreaterThan(10)
      expect(await textOf(alice, 'recipe')).toContain('AAFCO')
    })
  })

  test('couples: A creates a room and invites; B, signed in in the other pane, joins; both see messages and the AI', async () => {
    await step('couples', async () => {
      await alice.getByTestId('nav-couples').click()
      const partner = alice.getByTestId('partner-sign-in')
      await partner.locator('[name=email]').fill(bobLogin.email)
      await partner.locator('[name=password]').fill(bobLogin.password)
      await partner.locator('button').click()
      await alice.getByTestId('partner-name').waitFor()
      await alice.getByTestId('couple-room-name').fill('우리 방')
      await alice.getByTestId('create-couple-room').locator('button').click()
      await alice.getByTestId('invite').click()
      const paneB = alice.getByTestId('pane-b')
      await paneB.getByTestId('couple-session').waitFor()
      await paneB.getByTestId('couple-composer').fill('B가 보낸 말')
      await paneB.getByTestId('couple-send').click()
      await alice.getByTestId('pane-a').getByTestId('couple-message').filter({ hasText: 'B가 보낸 말' }).waitFor()
      await alice.getByTestId('pane-a').getByTestId('couple-composer').fill('@ai 우리 대화 주제 하나 추천해줘')
      await alice.getByTestId('pane-a').getByTestId('couple-send').click()
      await paneB.getByTestId('couple-ai').first().waitFor()
      await alice.getByTestId('pane-a').getByTestId('couple-ai').first().waitFor()
    })
  })

  test('advisor: a question answered with ranked cards', async () => {
    await step('advisor', async () => {
      await bob.getByTestId('nav-advisor').click()
      await bob.getByTestId('advisor-question').fill('마트랑 주유 할인 많이 되는 카드 추천해줘')
      await bob.getByTestId('advisor-ask').click()
      await bob.getByTestId('card').first().waitFor()
      expect(await bob.getByTestId('card').count()).toBeGreaterThan(0)
      expect((await textOf(bob, 'advisor-comment')).length).toBeGreaterThan(0)
    })
  })

  test('the console switches to English and back', async () => {
    await step('language', async () => {
      // The page re-renders after the click: wait for the new words, not the old navigation.
      await bob.getByRole('button', { name: 'English' }).click()
      await until(bob, 'nav-messenger', (text) => text === 'Messenger')
      await bob.getByRole('button', { name: '한국어' }).click()
      await until(bob, 'nav-messenger', (text) => text === '메신저')
    })
  })
})
