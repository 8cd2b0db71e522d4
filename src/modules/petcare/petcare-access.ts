/**
 * Who a petcare request acts for, and which of their pets it names. The seed lets message
 * creation run without a token (AllowAny) with the `userId` naming the user; with a token the
 * token's user wins and a different `userId` is someone else's: 404, never their data.
 */
import { AppError, badRequest, notFound } from '../../platform/errors'
import type { User, UserRepo } from '../auth/user-repo'
import type { Pet, PetRepo } from './pet-repo'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MAX_PET_NAME = 50

/** A trimmed non-empty string, or undefined for anything else. */
export const textOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined

/** Reads a pet name: trimmed, 1..50 characters, else AppError VALIDATION. */
export function petNameOf(value: unknown, field = 'petnm'): string {
  const name = textOf(value)
  if (!name) throw new AppError('VALIDATION', `${field} is required`)
  if (name.length > MAX_PET_NAME) throw new AppError('VALIDATION', `${field} must be at most ${MAX_PET_NAME} characters`)
  return name
}

/** The 404 for a userId that is unknown or not the signed-in caller's. */
export const userNotFound = () => notFound('사용자를 찾을 수 없습니다.')
/** The 404 for a pet name the caller does not have. */
export const petNotFound = () => notFound('반려동물을 찾을 수 없습니다.')

/** Resolves callers and their pets for every petcare service. */
export function createPetcareAccess(deps: { users: UserRepo; pets: PetRepo }) {
  return {
    /**
     * The user a request acts for. With a signed-in caller: that caller, and a `userId` other
     * than the caller's uid is 404. Without one: the user `userId` names (404 when none; 400
     * when `userId` is missing).
     */
    async caller(signedIn: User | undefined, userId: unknown): Promise<User> {
      const id = textOf(userId)
      if (signedIn) {
        if (id !== undefined && id.toLowerCase() !== signedIn.uid.toLowerCase()) throw userNotFound()
        return signedIn
      }
      if (id === undefined) throw badRequest('userId is required')
      if (!UUID.test(id)) throw userNotFound()
      const user = await deps.users.findByUid(id.toLowerCase())
      if (!user) throw userNotFound()
      return user
    },

    /** The caller's pet of that name; another user's pet or an unknown name is `onMissing` (404 or 400). */
    async pet(caller: User, petnm: unknown, onMissing: 'not_found' | 'bad_request' = 'not_found'): Promise<Pet> {
      const name = petNameOf(petnm)
      const pet = await deps.pets.findByName(caller.id, name)
      if (pet) return pet
      throw onMissing === 'not_found' ? petNotFound() : badRequest(`등록되지 않은 반려동물입니다: ${name}`)
    },

    /** Like `pet`, but undefined when no pet name is given. */
    async optionalPet(caller: User, petnm: unknown): Promise<Pet | undefined> {
      return textOf(petnm) === undefined ? undefined : this.pet(caller, petnm)
    },
  }
}

/** The access checks as built by createPetcareAccess. */
export type PetcareAccess = ReturnType<typeof createPetcareAccess>
