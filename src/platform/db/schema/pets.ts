import { bigint, bigserial, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import { timestamps, ts } from './columns'
import { users } from './users'

/** A user's pets; `info` is the pet_info JSON that drives the nutrition maths. */
export const pets = pgTable(
  'pets',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    publicId: uuid('public_id').notNull().unique().default(sql`gen_random_uuid()`),
    ownerId: bigint('owner_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    info: jsonb('info').notNull().default({}),
    ...timestamps(),
  },
  (t) => [uniqueIndex('pets_owner_name_uq').on(t.ownerId, t.name)],
)

/** Recipes the petcare flow produced, with their ingredient checks and nutrient maths. */
export const recipes = pgTable(
  'recipes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    publicId: uuid('public_id').notNull().unique().default(sql`gen_random_uuid()`),
    ownerId: bigint('owner_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    petId: bigint('pet_id', { mode: 'number' }).references(() => pets.id, { onDelete: 'set null' }),
    roomId: bigint('room_id', { mode: 'number' }),
    title: text('title').notNull(),
    selectedIngredients: jsonb('selected_ingredients').notNull().default([]),
    validationIngredients: jsonb('validation_ingredients').notNull().default([]),
    calculationResult: jsonb('calculation_result').notNull().default({}),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('recipes_owner_idx').on(t.ownerId, t.createdAt, t.id)],
)
