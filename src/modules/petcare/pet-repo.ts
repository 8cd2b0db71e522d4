import { and, asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/client'
import { pets } from '../../platform/db/schema'
import type { PetInfo } from '../nutrition/energy'

/** A pet row; `info` is a validated PetInfo. */
export type Pet = typeof pets.$inferSelect

/** A user's pets, addressed by the owner and the pet's name (unique per owner). */
export function createPetRepo({ db }: { db: Db }) {
  return {
    /** The owner's pet of that name, or undefined: someone else's pet is never returned. */
    async findByName(ownerId: number, name: string): Promise<Pet | undefined> {
      const [p] = await db.select().from(pets).where(and(eq(pets.ownerId, ownerId), eq(pets.name, name))).limit(1)
      return p
    },
    async findById(id: number): Promise<Pet | undefined> {
      const [p] = await db.select().from(pets).where(eq(pets.id, id)).limit(1)
      return p
    },
    /** The owner's pets in the order they were registered. */
    async listForOwner(ownerId: number): Promise<Pet[]> {
      return db.select().from(pets).where(eq(pets.ownerId, ownerId)).orderBy(asc(pets.id))
    },
    /** Creates the pet or replaces the info of the owner's pet with that name (merge by name), in one statement. */
    async upsert(ownerId: number, name: string, info: PetInfo): Promise<Pet> {
      const [p] = await db
        .insert(pets)
        .values({ ownerId, name, info })
        .onConflictDoUpdate({ target: [pets.ownerId, pets.name], set: { info, updatedAt: sql`now()` } })
        .returning()
      return p!
    },
  }
}

/** The pet repository as built by createPetRepo. */
export type PetRepo = ReturnType<typeof createPetRepo>
