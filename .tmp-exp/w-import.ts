import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
declare const self: Worker
;(globalThis as any).keep = [PGlite, vector, pg_trgm, PGLiteSocketServer]
postMessage('ready')
