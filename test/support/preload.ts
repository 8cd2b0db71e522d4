// Loaded before every test file (bunfig.toml). Tests build their own config through
// test/support/app.ts; nothing here reads the developer's environment except
// DATABASE_URL and REDIS_URL, which choose the real servers to test against.
process.env.TZ = 'UTC'
