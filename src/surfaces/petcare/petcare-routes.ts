import { Elysia, t } from 'elysia'
import type { AuthService } from '../../modules/auth/auth-service'
import type { Petcare } from '../../modules/petcare/petcare-module'
import { formatId, parseId } from '../../modules/petcare/petcare-ids'
import { MAX_LIMIT } from '../../modules/petcare/page-cursor'
import { SizeParam } from '../../platform/http/request-schemas'
import type { Logger } from '../../platform/logger'
import { authPlugin } from '../../platform/http/auth-plugin'
import { clientIp } from '../../platform/http/request-context'
import type { SignInLimits } from '../../modules/auth/sign-in-limits'
import { chatDetail, chatItem, pageView, petView, recipeDetail, recipeItem, sharedChatView } from './petcare-views'
import { petcareMessageRoutes } from './petcare-message-routes'

/** The petcare routes' dependencies. */
export interface PetcareRoutesDeps {
  auth: AuthService
  cookieName: string
  petcare: Petcare
  logger: Logger
  /** Sign-in mints a token: counted per client address like the account routes. */
  signIn: { limits: SignInLimits; trustProxy: boolean }
}

const ErrorBody = t.Object({ error: t.String() })
const Owner = { userId: t.Optional(t.String({ description: 'Your user uuid; with a token it must be the token’s user' })), petnm: t.Optional(t.String({ description: 'One of your pets' })) }
const OwnerQuery = t.Object(Owner)
const PageQuery = t.Object({
  ...Owner,
  cursor: t.Optional(t.String({ maxLength: 100, description: 'ISO 8601 timestamp, or the `next_cursor` of the previous page' })),
  limit: t.Optional(SizeParam(MAX_LIMIT)),
})
const OwnerBody = t.Optional(t.Object({ userId: t.Optional(t.Unknown()), petnm: t.Optional(t.Unknown()) }, { additionalProperties: true }))

type OwnerFields = { userId?: unknown; petnm?: unknown }
/** `userId` and `petnm` from the query, else from the body (seed: either may carry them). */
const ownerOf = (query: OwnerFields, body: unknown) => {
  const b = (typeof body === 'object' && body !== null ? body : {}) as OwnerFields
  return { userId: query.userId ?? b.userId, petnm: query.petnm ?? b.petnm }
}

/**
 * Seed 002 (petcare): users and pets, chats with cursor paging, share and delete, the public
 * shared view and forking a shared chat, recipes; the SSE message routes are mounted too.
 */
export function petcareRoutes(deps: PetcareRoutesDeps) {
  const { petcare } = deps
  return new Elysia({ name: 'petcare-routes', detail: { tags: ['petcare'] } })
    .use(authPlugin(deps.auth, deps.cookieName))
    .post(
      '/api/users',
      async ({ body, set, request, server }) => {
        await deps.signIn.limits.identity({ ip: clientIp(request, server, deps.signIn.trustProxy) })
        const r = await petcare.users.register((body ?? {}) as { cafe24_token?: unknown; pets?: unknown })
        set.status = r.created ? 201 : 200
        return { id: r.user.uid, pets: r.pets.map(petView), access_token: r.accessToken }
      },
      {
        body: t.Optional(t.Object({ cafe24_token: t.Optional(t.Unknown()), pets: t.Optional(t.Unknown()) }, { additionalProperties: true })),
        detail: {
          summary: 'Sign in with a cafe24 token (creates the user on first sight) and register pets',
          description: 'Body `{cafe24_token, pets?: [{petnm, pet_info: {species, age, weight_kg, neutered, activity, allergies}}]}`. 201 when the user is new, 200 otherwise; pets are merged by name. `access_token` is a huddle token for the authenticated petcare routes.',
        },
      },
    )
    .get(
      '/api/chats',
      async ({ principal, query }) => pageView(await petcare.chats.list({ signedIn: principal.user, ...ownerOf(query, undefined) }, query), chatItem),
      { auth: true, query: PageQuery, detail: { summary: 'Your chats, newest first, cursor-paged' } },
    )
    .get(
      '/api/chats/:chat_id',
      async ({ principal, params, query }) =>
        chatDetail(await petcare.chats.detail({ signedIn: principal.user, ...ownerOf(query, undefined) }, parseId('chat', params.chat_id))),
      { auth: true, query: OwnerQuery, response: { 404: ErrorBody }, detail: { summary: 'A chat of yours with all its messages' } },
    )
    .post(
      '/api/chats/:chat_id/share',
      async ({ principal, params, query, body }) =>
        chatItem(await petcare.chats.share({ signedIn: principal.user, ...ownerOf(query, body) }, parseId('chat', params.chat_id))),
      { auth: true, query: OwnerQuery, body: OwnerBody, detail: { summary: 'Share a chat of yours (is_shared: true)' } },
    )
    .delete(
      '/api/chats/:chat_id',
      async ({ principal, params, query, set }) => {
        await petcare.chats.remove({ signedIn: principal.user, ...ownerOf(query, undefined) }, parseId('chat', params.chat_id))
        set.status = 204
        return null
      },
      { auth: true, query: OwnerQuery, detail: { summary: 'Delete a chat of yours (204)' } },
    )
    .get('/api/shared/:chat_id', async ({ params }) => sharedChatView(await petcare.chats.shared(parseId('chat', params.chat_id))), {
      response: { 404: ErrorBody },
      detail: { summary: 'A shared chat, for anyone (404 unless shared)' },
    })
    .post(
      '/api/shared/:chat_id',
      async ({ principal, params, query, body, set }) => {
        const b = (body ?? {}) as { content?: unknown; message?: unknown }
        const { caller, pet, chat } = await petcare.chats.fork({ signedIn: principal.user, ...ownerOf(query, body) }, parseId('chat', params.chat_id), b)
        const chatId = formatId('chat', chat.publicId)
        set.status = 201
        return {
          success: true,
          message: '새 채팅이 생성되었습니다.',
          chat_id: chatId,
          user_id: caller.uid,
          petnm: pet.name,
          redirect_url: `/chat?${new URLSearchParams({ id: chatId, userId: caller.uid, petnm: pet.name })}`,
        }
      },
      {
        auth: true,
        query: OwnerQuery,
        body: t.Optional(t.Object({ userId: t.Optional(t.Unknown()), petnm: t.Optional(t.Unknown()), message: t.Optional(t.Unknown()), content: t.Optional(t.Unknown()) }, { additionalProperties: true })),
        detail: { summary: 'Start your own chat from a shared chat with a first message' },
      },
    )
    .get(
      '/api/recipes',
      async ({ principal, query }) => pageView(await petcare.recipes.list(principal.user, query.userId, query), recipeItem),
      { auth: true, query: PageQuery, detail: { summary: 'Your recipes, newest first, cursor-paged' } },
    )
    .get(
      '/api/recipes/:recipe_id',
      async ({ principal, params, query }) => {
        const { recipe, owner } = await petcare.recipes.detail(principal.user, query.userId, parseId('recipe', params.recipe_id))
        return recipeDetail(recipe, owner)
      },
      { auth: true, query: OwnerQuery, response: { 404: ErrorBody }, detail: { summary: 'A recipe of yours with its checks and calculation' } },
    )
    .use(petcareMessageRoutes(deps))
}
