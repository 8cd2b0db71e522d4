import { describe, expect, test } from 'bun:test'
import { badRequest, forbidden, notFound, unauthorized, validation } from '../../platform/errors'
import { createSocketGate, refusalOf, socketId } from './socket-gate'

/** A socket that records how it was closed (a gate can do nothing else to it). */
const fakeSocket = () => {
  const closes: [number | undefined, string | undefined][] = []
  return { closes, close: (code?: number, reason?: string) => void closes.push([code, reason]) }
}

describe('refusalOf', () => {
  test('client errors map to 4000/4001/4003/4004 with their message; anything else is 1011 without detail', () => {
    expect(refusalOf(unauthorized('token expired'))).toEqual({ code: 4001, reason: 'token expired' })
    expect(refusalOf(forbidden('Not a member of this room'))).toEqual({ code: 4003, reason: 'Not a member of this room' })
    expect(refusalOf(notFound('Room not found'))).toEqual({ code: 4004, reason: 'Room not found' })
    expect(refusalOf(badRequest('bad id'))).toEqual({ code: 4000, reason: 'bad id' })
    expect(refusalOf(validation('bad since'))).toEqual({ code: 4000, reason: 'bad since' })
    expect(refusalOf(new Error('connection refused to 10.0.0.5'))).toEqual({ code: 1011, reason: 'internal error' })
  })

  test('a reason over the 123-byte limit falls back to the table reason', () => {
    expect(refusalOf(forbidden('방'.repeat(42)))).toEqual({ code: 4003, reason: 'forbidden' })
    expect(refusalOf(forbidden('방'.repeat(41)))).toEqual({ code: 4003, reason: '방'.repeat(41) })
  })
})

describe('createSocketGate', () => {
  test('an admitted request opens with its value once; a refused one is closed with its code and reason', async () => {
    const faults: unknown[] = []
    const gate = createSocketGate<number>((e) => faults.push(e))
    const ok = new Request('http://x/ok')
    const refused = new Request('http://x/no')
    const broken = new Request('http://x/broken')
    await gate.decide(ok, async () => 7)
    await gate.decide(refused, async () => {
      throw forbidden('no seat')
    })
    await gate.decide(broken, async () => {
      throw new Error('db down')
    })
    const s1 = fakeSocket()
    expect(gate.open(ok, s1)).toBe(7)
    expect(s1.closes).toEqual([])
    const s2 = fakeSocket()
    expect(gate.open(refused, s2)).toBeUndefined()
    expect(s2.closes).toEqual([[4003, 'no seat']])
    const s3 = fakeSocket()
    expect(gate.open(broken, s3)).toBeUndefined()
    expect(s3.closes).toEqual([[1011, 'internal error']])
    expect(faults).toHaveLength(1)
    // A verdict is used once: the same request cannot open a second socket.
    const s4 = fakeSocket()
    expect(gate.open(ok, s4)).toBeUndefined()
    expect(s4.closes).toEqual([[1011, 'internal error']])
  })
})

describe('socketId', () => {
  test('only canonical decimal integers in range', () => {
    expect(socketId('16', 'room_id')).toBe(16)
    expect(socketId('0', 'since', 0)).toBe(0)
    for (const bad of ['0', '016', '0x10', '16e0', ' 16', '1.5', '-1', '', '9007199254740993', '99999999999999999']) {
      expect(() => socketId(bad, 'room_id')).toThrow()
    }
    expect(() => socketId(undefined, 'room_id')).toThrow()
  })
})
