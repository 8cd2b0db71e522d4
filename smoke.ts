import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
let t0 = performance.now()
const pg = await PGlite.create({ extensions: { vector, pg_trgm } })
await pg.exec('CREATE EXTENSION IF NOT EXISTS vector; CREATE EXTENSION IF NOT EXISTS pg_trgm; create table a(id int);')
console.log('create', performance.now()-t0); t0 = performance.now()
const dump = await pg.dumpDataDir('none')
console.log('dump', performance.now()-t0, dump.size); t0 = performance.now()
for (let i=0;i<3;i++){ const p2 = await PGlite.create({ loadDataDir: dump, extensions: { vector, pg_trgm } }); await p2.query('select count(*) from a'); console.log('load', performance.now()-t0); t0=performance.now(); await p2.close() }
const c = await (pg as any).clone?.(); console.log('clone', typeof (pg as any).clone, performance.now()-t0)
