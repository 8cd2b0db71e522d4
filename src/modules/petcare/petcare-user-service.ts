import { AppError } from '../../platform/errors'
import type { AuthService } from '../auth/auth-service'
import { CAFE24_SUBJECT_PREFIX, type User, type UserRepo } from '../auth/user-repo'
import { parsePetInfo, type PetInfo } from '../nutrition/energy'
import { petNameOf, textOf } from './petcare-access'
import type { Pet, PetRepo } from './pet-repo'

const MAX_TOKEN_CHARS = 4096
const MAX_PETS = 20

/** The outcome of `POST /api/users/`: the user, all their pets, a huddle token, and whether the user is new. */
export interface RegisteredUser {
  user: User
  pets: Pet[]
  accessToken: string
  created: boolean
}

/** The subject of a cafe24 credential: only its SHA-256 is stored, never the token itself. */
export const cafe24Subject = (token: string): string =>
  `${CAFE24_SUBJECT_PREFIX}${new Bun.CryptoHasher('sha256').update(token).digest('hex')}`

/**
 * Petcare sign-in (seed 1.1): a cafe24 token names a user, created on first sight; the pets
 * given are merged into the user's pets by name. Every pet is validated before anything is
 * stored, so a bad pet_info changes nothing.
 */
export function createPetcareUserService(deps: { auth: AuthService; users: UserRepo; pets: PetRepo }) {
  return {
    async register(body: { cafe24_token?: unknown; pets?: unknown }): Promise<RegisteredUser> {
      const token = textOf(body.cafe24_token)
      if (!token) throw new AppError('VALIDATION', 'cafe24_token is required')
      if (token.length > MAX_TOKEN_CHARS) throw new AppError('VALIDATION', 'cafe24_token is too long')
      let input = body.pets ?? []
      // Form posts carry the list as JSON text.
      if (typeof input === 'string') {
        try {
          input = input.trim() === '' ? [] : JSON.parse(input)
        } catch {
          throw new AppError('VALIDATION', 'pets is not valid JSON')
        }
      }
      if (!Array.isArray(input)) throw new AppError('VALIDATION', 'pets must be a list')
      if (input.length > MAX_PETS) throw new AppError('VALIDATION', `at most ${MAX_PETS} pets`)
      const parsed = new Map<string, PetInfo>()
      input.forEach((raw, i) => {
        if (typeof raw !== 'object' || raw === null) throw new AppError('VALIDATION', `pets[${i}] must be an object`)
        const pet = raw as Record<string, unknown>
        parsed.set(petNameOf(pet.petnm, `pets[${i}].petnm`), parsePetInfo(pet.pet_info))
      })

      const subject = cafe24Subject(token)
      const existing = await deps.users.findBySubject(subject)
      const user = existing ?? (await deps.auth.userForSubject(subject, { name: `cafe24-${subject.slice(7, 15)}` }))
      for (const [name, info] of parsed) await deps.pets.upsert(user.id, name, info)
      return {
        user,
        pets: await deps.pets.listForOwner(user.id),
        accessToken: await deps.auth.issueAccessToken(user),
        created: !existing,
      }
    },
  }
}

/** The sign-in service as built by createPetcareUserService. */
export type PetcareUserService = ReturnType<typeof createPetcareUserService>
