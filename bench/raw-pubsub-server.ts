// The ceiling for bench:fanout: Bun's native pub/sub with no auth, no storage, no checks.
// Each frame is wrapped in an envelope like huddle's and published to the room, sender included.
let seq = 0
const server = Bun.serve<{ room: string; user: number }>({
  port: Number(process.env.PORT ?? 0),
  hostname: '127.0.0.1',
  fetch(req, srv) {
    const url = new URL(req.url)
    const room = url.pathname.split('/').pop() ?? '0'
    const user = Number(url.searchParams.get('user') ?? 0)
    return srv.upgrade(req, { data: { room, user } }) ? undefined : new Response('upgrade required', { status: 400 })
  },
  websocket: {
    maxPayloadLength: 1024 * 1024,
    open(ws) {
      ws.subscribe(ws.data.room)
    },
    message(ws, raw) {
      const frame = JSON.parse(String(raw))
      const event = { type: 'message', message_id: ++seq, room_id: Number(ws.data.room), sender_id: ws.data.user, content: frame.content, timestamp: new Date().toISOString() }
      server.publish(ws.data.room, JSON.stringify(event))
    },
  },
})
process.stdout.write(`listening ${server.port}\n`)
