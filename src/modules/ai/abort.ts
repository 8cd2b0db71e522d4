import { AppError, isAppError } from '../../platform/errors'

/** The error an aborted signal stands for: its own reason, or a DOMException named AbortError. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError')
}

/** The AppError TIMEOUT every provider throws when the upstream is too slow. */
export function upstreamTimeout(provider: string, timeoutMs: number, partialText?: string): AppError {
  return new AppError('TIMEOUT', `The AI provider did not answer within ${timeoutMs} ms`, {
    details: { provider, timeoutMs, ...(partialText === undefined ? {} : { partialText }) },
  })
}

/**
 * Maps anything an SDK throws to AppError UPSTREAM_FAILED. The upstream's own message stays
 * in `cause` only: it may quote keys, prompts or internal hosts that must not reach a client.
 */
export function upstreamFailure(provider: string, error: unknown, partialText?: string): AppError {
  if (isAppError(error)) return error
  const status = (error as { status?: unknown } | null)?.status
  const upstreamStatus = typeof status === 'number' ? status : undefined
  const message =
    upstreamStatus === undefined
      ? 'The AI provider request failed'
      : `The AI provider answered with status ${upstreamStatus}`
  return new AppError('UPSTREAM_FAILED', message, {
    details: {
      provider,
      ...(upstreamStatus === undefined ? {} : { upstreamStatus }),
      ...(partialText === undefined ? {} : { partialText }),
    },
    cause: error,
  })
}

/**
 * Runs `work` with a signal that aborts when `signal` aborts or after `timeoutMs`, and settles
 * as soon as either happens even if `work` ignores its signal. A timeout rejects with what
 * `onTimeout` builds; an abort rejects with the signal's reason; `work`'s own errors pass through.
 */
export async function withDeadline<T>(
  work: (signal: AbortSignal) => Promise<T>,
  opts: { signal?: AbortSignal; timeoutMs: number; onTimeout: () => Error },
): Promise<T> {
  if (opts.signal?.aborted) throw abortReason(opts.signal)
  const inner = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  let onAbort: (() => void) | undefined
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = opts.onTimeout()
      inner.abort(err)
      reject(err)
    }, opts.timeoutMs)
    onAbort = () => {
      const reason = abortReason(opts.signal as AbortSignal)
      inner.abort(reason)
      reject(reason)
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true })
  })
  const running = work(inner.signal)
  // Whichever loses the race must not surface later as an unhandled rejection.
  running.catch(() => {})
  stopped.catch(() => {})
  try {
    return await Promise.race([running, stopped])
  } finally {
    clearTimeout(timer)
    if (onAbort) opts.signal?.removeEventListener('abort', onAbort)
  }
}
