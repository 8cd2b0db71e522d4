// The REST ceiling for bench:rest: a hand-written Bun.serve + postgres.js server that answers
// the messenger's message page, room list, send and healthz with the same SQL statements
// huddle sends and byte-identical JSON, on huddle's own tables, and nothing else (no
// framework, validation, logging or metrics). It trusts its input: it is a yardstick, not a
// server. DATABASE_URL names a PostgreSQL server; without it, DATA_DIR's embedded database
// is opened the way huddle opens it (its own thread, one unix-socket connection).
import postgres from 'postgres'
import { startEmbedded } from '../src/platform/db/embedded'

/** huddle's statements on these paths, verbatim (keep in step with the repositories). */
export const CEILING_SQL = {
  user: `select "id", "name" from "users" where "users"."subject" = $1 limit $2`,
  membership: `select "room_members"."id" from "room_members" inner join "rooms" on "rooms"."id" = "room_members"."room_id" where ("room_members"."room_id" = $1 and "room_members"."user_id" = $2 and "room_members"."is_active" = $3 and "rooms"."kind" in ($4, $5)) limit $6`,
  page: `select "messages"."id", "messages"."room_id", coalesce("messages"."sender_id", 0), coalesce("users"."name", ''), case when "messages"."is_deleted" then '' else "messages"."content" end, "messages"."message_type", case when not "messages"."is_deleted" then '/chat/files/' || "files"."public_id" end, case when not "messages"."is_deleted" then "files"."original_name" end, case when not "messages"."is_deleted" then "files"."size" end, "messages"."reply_to_id", "messages"."is_edited", "messages"."is_deleted", to_char("messages"."edited_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), to_char("messages"."created_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), to_char("messages"."updated_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') from "messages" left join "users" on "users"."id" = "messages"."sender_id" left join "files" on "files"."id" = "messages"."file_id" where "messages"."room_id" = $1 order by "messages"."id" desc limit $2 offset $3`,
  count: `select count(*)::int from "messages" where "messages"."room_id" = $1`,
  rooms: `select "rooms"."id", coalesce("rooms"."name", ''), "rooms"."kind", coalesce("rooms"."created_by", 0), "rooms"."is_active", to_char("rooms"."created_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), to_char("rooms"."updated_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), (select count(*) from room_members p where p.room_id = "rooms"."id" and p.is_active)::int, lm.content, (select count(*) from messages x
                                     where x.room_id = "rooms"."id" and (x.room_id, x.id) > ("rooms"."id", coalesce("room_members"."last_read_message_id", 0))
                                       and x.sender_id is distinct from "room_members"."user_id" and not x.is_deleted)::int from "room_members" inner join "rooms" on "rooms"."id" = "room_members"."room_id" left join lateral (select content, created_at from "messages"
                              where "messages"."room_id" = "rooms"."id" and not "messages"."is_deleted"
                              order by "messages"."id" desc limit 1) lm on true where ("room_members"."user_id" = $1 and "room_members"."is_active" = $2 and "rooms"."kind" in ($3, $4)) order by coalesce(lm.created_at, "rooms"."created_at") desc, "rooms"."id" desc`,
  insert: `insert into "messages" ("id", "public_id", "room_id", "sender_id", "role", "message_type", "content", "payload", "reply_to_id", "client_msg_id", "file_id", "session_id", "speaker", "token_count", "is_edited", "edited_at", "is_deleted", "deleted_at", "created_at", "updated_at") select nextval('messages_id_seq'::regclass), x.public_id, x.room_id, x.sender_id, x.role,
                     x.message_type, x.content, x.payload, x.reply_to_id, x.client_msg_id, x.file_id, x.session_id,
                     x.speaker, x.token_count, false, null, false, null, now(), now()
                from jsonb_to_recordset($1::jsonb) as x(
                  public_id uuid, room_id bigint, sender_id bigint, role text, message_type text, content text, payload jsonb,
                  reply_to_id bigint, client_msg_id text, file_id bigint, session_id bigint, speaker text, token_count jsonb) on conflict ("room_id","sender_id","client_msg_id") where client_msg_id is not null do nothing returning "id", "public_id", "room_id", "sender_id", "role", "message_type", "content", "payload", "reply_to_id", "client_msg_id", "file_id", "session_id", "speaker", "token_count", "is_edited", "edited_at", "is_deleted", "deleted_at", "created_at", "updated_at"`,
}

const KINDS = ['direct', 'group']
const seedTime = (v: string | Date | null) => (v == null ? null : new Date(v).toISOString().slice(0, 19))

if (import.meta.main) {
  const port = Number(process.env.PORT ?? 8100)
  const secret = new TextEncoder().encode(process.env.JWT_SECRET ?? '')
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbedded({ dataDir: process.env.DATA_DIR })
  // int8 as a number, as huddle's schema reads it; timestamps stay Dates (postgres.js's default).
  const types = { int8: { to: 20, from: [20], serialize: String, parse: Number } }
  const sql = embedded
    ? postgres({ path: embedded.socketPath, max: 1, username: 'postgres', database: 'postgres', types, onnotice: () => {} })
    : postgres(process.env.DATABASE_URL!, { max: 10, types, onnotice: () => {} })

  // CEILING_ANALYZE=1: gather planner statistics first (the bench's data was just written;
  // the embedded database has no autovacuum, a server's may not have run yet).
  if (process.env.CEILING_ANALYZE) await sql.unsafe('analyze')

  // The batch of rows goes in as JSON text, as huddle sends it (postgres.js would quote a string again).
  sql.options.serializers[3802] = (x: unknown) => x as string

  // A verified token stays verified until it expires (huddle caches verified tokens too).
  const users = new Map<string, { id: number; name: string; exp: number }>()
  const hmacKey = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
  async function caller(req: Request) {
    const token = req.headers.get('authorization')?.slice(7) ?? ''
    const hit = users.get(token)
    if (hit && hit.exp * 1000 > Date.now()) return hit
    const [h, p, s] = token.split('.')
    const ok = await crypto.subtle.verify('HMAC', hmacKey, Buffer.from(s ?? '', 'base64url'), new TextEncoder().encode(`${h}.${p}`))
    if (!ok) return undefined
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString())
    const [u] = await sql.unsafe(CEILING_SQL.user, [claims.sub, 1])
    if (!u) return undefined
    const user = { id: u.id as number, name: u.name as string, exp: claims.exp as number }
    users.set(token, user)
    return user
  }
  const isMember = async (roomId: number, userId: number) => (await sql.unsafe(CEILING_SQL.membership, [roomId, userId, true, ...KINDS, 1]).values()).length > 0
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  const notFound = () => json({ detail: 'Room not found' }, 404)

  const server = Bun.serve({
    port,
    hostname: '127.0.0.1',
    async fetch(req) {
      const url = new URL(req.url)
      const path = url.pathname
      if (path === '/healthz') return json({ status: 'ok' })
      const user = await caller(req)
      if (!user) return json({ detail: 'Not authenticated' }, 401)
      if (path === '/chat/rooms') {
        const rows = await sql.unsafe(CEILING_SQL.rooms, [user.id, true, ...KINDS]).values()
        const rooms = rows.map((r) => ({
          room_id: r[0], room_name: r[1], room_type: r[2], created_by: r[3], is_active: r[4], created_at: r[5], updated_at: r[6],
          participant_count: r[7], last_message: r[8], unread_count: r[9],
        }))
        return json({ rooms, total_count: rooms.length })
      }
      const m = /^\/chat\/rooms\/(\d+)\/messages$/.exec(path)
      if (!m) return json({ detail: 'Not found' }, 404)
      const roomId = Number(m[1])
      if (req.method === 'GET') {
        const page = Number(url.searchParams.get('page') ?? 1)
        const size = Number(url.searchParams.get('size') ?? 50)
        if (!(await isMember(roomId, user.id))) return notFound()
        const [rows, [count]] = await Promise.all([
          sql.unsafe(CEILING_SQL.page, [roomId, size, (page - 1) * size]).values(),
          sql.unsafe(CEILING_SQL.count, [roomId]).values(),
        ])
        const total = count![0] as number
        const messages = rows.reverse().map((r) => ({
          message_id: r[0], room_id: r[1], sender_id: r[2], sender_name: r[3], message_content: r[4], message_type: r[5], file_url: r[6],
          file_name: r[7], file_size: r[8], reply_to_message_id: r[9], is_edited: r[10], is_deleted: r[11], edited_at: r[12],
          created_at: r[13], updated_at: r[14],
        }))
        return json({ messages, total_count: total, has_more: page * size < total })
      }
      const body = (await req.json()) as { message_content: string; message_type?: string }
      if (!(await isMember(roomId, user.id))) return notFound()
      const row = JSON.stringify([{
        public_id: crypto.randomUUID(), room_id: roomId, sender_id: user.id, role: 'user', message_type: body.message_type ?? 'text',
        content: body.message_content, payload: null, reply_to_id: null, client_msg_id: null, file_id: null, session_id: null, speaker: null, token_count: null,
      }])
      const [r] = await sql.unsafe(CEILING_SQL.insert, [row])
      return json({
        message_id: r!.id, room_id: r!.room_id, sender_id: r!.sender_id, sender_name: user.name, message_content: r!.content,
        message_type: r!.message_type, file_url: null, file_name: null, file_size: null, reply_to_message_id: r!.reply_to_id ?? null,
        is_edited: r!.is_edited, is_deleted: r!.is_deleted, edited_at: seedTime(r!.edited_at), created_at: seedTime(r!.created_at),
        updated_at: seedTime(r!.updated_at),
      }, 201)
    },
  })
  console.log(`ceiling listening on ${server.port}`)
  process.on('SIGTERM', async () => {
    server.stop(true)
    await sql.end({ timeout: 2 })
    await embedded?.close()
    process.exit(0)
  })
}
