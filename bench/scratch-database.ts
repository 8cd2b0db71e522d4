import postgres from 'postgres'

/**
 * A new, empty database on the PostgreSQL server at `serverUrl` for one bench run, named
 * `<prefix>_<time>`, with a `drop` that removes it; undefined when the server cannot be reached
 * or refuses to create it.
 */
export async function scratchServerDatabase(serverUrl: string, prefix: string): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 3 })
  const name = `${prefix}_${Date.now()}`
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`)
  } catch {
    return undefined
  } finally {
    await admin.end()
  }
  const u = new URL(serverUrl)
  u.pathname = '/' + name
  return {
    url: u.toString(),
    drop: async () => {
      const a = postgres(serverUrl, { max: 1, onnotice: () => {} })
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await a.end()
    },
  }
}
