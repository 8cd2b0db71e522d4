import type { Db } from '../../platform/db/client'
import { AppError } from '../../platform/errors'
import { findUnsafeText } from '../../platform/text-guard'
import type { AuthService } from '../auth/auth-service'
import { CAFE24_SUBJECT_PREFIX, createUserRepo, type User } from '../auth/user-repo'
import { parsePetInfo, type PetInfo } from '../nutrition/energy'
import { petNameOf, textOf } from './petcare-access'
import { createPetRepo, type Pet } from './pet-repo'

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
 * stored, and the user and their pets are written in one transaction, so a bad pet (or a
 * write the database refuses) leaves neither a new user nor some of the pets behind.
 */
export function createPetcareUserService(deps: { db: Db; auth: AuthService }) {
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
      // Form posts' JSON text only now became strings the HTTP layer's text guard has not seen.
      const unsafe = findUnsafeText(input, 'pets')
      if (unsafe) throw new AppError('VALIDATION', `${unsafe.path} ${unsafe.reason}`)
      if (input.length > MAX_PETS) throw new AppError('VALIDATION', `at most ${MAX_PETS} pets`)
      const parsed = new Map<string, PetInfo>()
      input.forEach((raw, i) => {
        if (typeof raw !== 'object' || raw === null) throw new AppError('VALIDATION', `pets[${i}] must be an object`)
        const pet = raw as Record<string, unknown>
        parsed.set(petNameOf(pet.petnm, `pets[${i}].petnm`), parsePetInfo(pet.pet_info))
      })

      const subject = cafe24Subject(token)
      const { user, pets, created } = await deps.db.transaction(async (tx) => {
        const users = createUserRepo({ db: tx })
        const petRepo = createPetRepo({ db: tx })
        const existing = await users.findBySubject(subject)
        const user = existing ?? (await users.ensureSubject(subject, `cafe24-${subject.slice(7, 15)}`))
        for (const [name, info] of parsed) await petRepo.upsert(user.id, name, info)
        return { user, pets: await petRepo.listForOwner(user.id), created: !existing }
      })
      return { user, pets, accessToken: await deps.auth.issueAccessToken(user), created }
    },
  }
}

/** The sign-in service as built by createPetcareUserService. */
export type PetcareUserService = ReturnType<typeof createPetcareUserService>
