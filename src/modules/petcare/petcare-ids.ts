/**
 * Petcare's public ids: `chat-{uuid}`, `msg-{uuid}`, `pet-{uuid}`, `recipe-{uuid}` over the
 * rows' public uuids. Stored message content names recipes by these ids too, which is why
 * they live in the module and not only in the surface.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The prefixes petcare ids carry. */
export type PetcareIdKind = 'chat' | 'msg' | 'pet' | 'recipe'

/** `{kind}-{uuid}`. */
export const formatId = (kind: PetcareIdKind, uuid: string): string => `${kind}-${uuid}`

/** The uuid inside `{kind}-{uuid}` (lower-cased), or undefined for anything else, so a malformed id reads as not found. */
export function parseId(kind: PetcareIdKind, value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith(`${kind}-`)) return undefined
  const uuid = value.slice(kind.length + 1)
  return UUID.test(uuid) ? uuid.toLowerCase() : undefined
}
