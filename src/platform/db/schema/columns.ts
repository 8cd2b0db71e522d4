import { timestamp } from 'drizzle-orm/pg-core'

/** A millisecond-precision timestamptz read as a Date; every table uses it for time. */
export const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' })

/** `created_at` and `updated_at`, both defaulting to now(). */
export const timestamps = () => ({
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
})
