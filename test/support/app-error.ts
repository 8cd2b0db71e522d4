import { expect } from 'bun:test'
import { AppError, type ErrorCode } from '../../src/platform/errors'

/** Runs `fn`, asserts it throws an AppError with `code` (VALIDATION by default), and returns it. */
export function thrownAppError(fn: () => unknown, code: ErrorCode = 'VALIDATION'): AppError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    expect((e as AppError).code).toBe(code)
    return e as AppError
  }
  throw new Error(`expected a ${code} error`)
}
