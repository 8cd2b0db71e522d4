import { afterAll, beforeAll, expect, test } from 'bun:test'
import { sql } from 'drizzle-orm'
import { queryRows } from '../src/platform/db/client'
import { createTestApp, type TestApp } from './support/app'

// Refusals change nothing: a request refused for hostile text, or whose write the database
// refuses half-way, leaves no row behind.
const DOG = { species: 'dog', age: 3, weight_kg: 10, neutered: true, activity: 'normal', allergies: [] }

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const count = async (table: string) => Number((await queryRows<{ n: string }>(t.database.db, sql.raw(`select count(*) as n from ${table}`)))[0]!.n)

test('a NUL pet name is refused with 400 {error} and leaves no user behind, as JSON or as form JSON text', async () => {
  const users = await count('users')
  const json = await t.request('POST', '/api/users', { json: { cafe24_token: 'nul-pet', pets: [{ petnm: 'Bo\u0000ri', pet_info: DOG }] } })
  expect(json.status).toBe(400)
  expect(Object.keys(await json.json())).toEqual(['error'])
  const form = new FormData()
  form.set('cafe24_token', 'nul-pet-form')
  form.set('pets', JSON.stringify([{ petnm: 'Bori', pet_info: DOG }, { petnm: 'x\\u0000', pet_info: DOG }]).replace('x\\\\u0000', 'x\\u0000'))
  const viaForm = await t.request('POST', '/api/users', { body: form })
  expect(viaForm.status).toBe(400)
  expect((await viaForm.json()).error).toContain('NUL')
  expect(await count('users')).toBe(users)
  expect(await count('pets')).toBe(0)
})

test('a pet the database refuses rolls back the new user and the pets stored before it', async () => {
  // The database itself refuses the second pet: the user and the first pet must not stay.
  await t.database.db.execute(sql.raw(`create function refuse_pet() returns trigger language plpgsql as $$
    begin if new.name = 'Refused' then raise exception 'refused pet'; end if; return new; end $$`))
  await t.database.db.execute(sql.raw('create trigger refuse_pet before insert on pets for each row execute function refuse_pet()'))
  try {
    const users = await count('users')
    const res = await t.request('POST', '/api/users', {
      json: { cafe24_token: 'half-written', pets: [{ petnm: 'Bori', pet_info: DOG }, { petnm: 'Refused', pet_info: DOG }] },
    })
    expect(res.status).toBe(500)
    expect(await count('users')).toBe(users)
    expect(await count('pets')).toBe(0)
  } finally {
    await t.database.db.execute(sql.raw('drop trigger refuse_pet on pets'))
    await t.database.db.execute(sql.raw('drop function refuse_pet()'))
  }
  const ok = await t.request('POST', '/api/users', { json: { cafe24_token: 'half-written', pets: [{ petnm: 'Bori', pet_info: DOG }] } })
  expect(ok.status).toBe(201)
})

test('a token whose subject or name carries NUL or a lone surrogate is refused with 401, not a 500', async () => {
  for (const [subject, claims] of [['nul\u0000sub', {}], ['fine-sub', { name: 'Ev\u0000e' }], ['\uD800', {}], ['fine-sub-2', { nickname: 'x\uDC00' }]] as const) {
    const res = await t.request('GET', '/api/auth/me', { token: await t.token(subject, claims) })
    expect(res.status).toBe(401)
    expect(Object.keys(await res.json())).toEqual(['detail'])
  }
})
