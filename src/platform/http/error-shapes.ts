import { AppError } from '../errors'

/** How one client contract shows an error: its body shape and its validation status. */
export interface ErrorShape {
  /** 422 where the client follows FastAPI (messenger, couples), else 400. */
  validationStatus: 400 | 422
  body(error: AppError, status: number): unknown
}

/** `{"detail": "..."}`: messenger, couples and huddle's own account routes. */
export const detailShape: ErrorShape = {
  validationStatus: 422,
  body: (e) => ({ detail: e.message }),
}

/** `{"error": "..."}`: petcare and docs. */
export const errorShape: ErrorShape = {
  validationStatus: 400,
  body: (e) => ({ error: e.message }),
}

/** Which shape answers for a path: the first surface whose prefix matches. */
export interface ErrorShapeTable {
  shapeFor(path: string): ErrorShape
}

export function createErrorShapeTable(entries: { prefixes: string[]; shape: ErrorShape }[], fallback: ErrorShape = detailShape): ErrorShapeTable {
  const flat = entries.flatMap((e) => e.prefixes.map((p) => ({ p, shape: e.shape }))).sort((a, b) => b.p.length - a.p.length)
  return {
    shapeFor(path) {
      for (const { p, shape } of flat) if (path === p || path.startsWith(p.endsWith('/') ? p : p + '/')) return shape
      return fallback
    },
  }
}

/** The status an AppError answers with under a shape (validation differs per client). */
export const statusFor = (e: AppError, shape: ErrorShape) => (e.code === 'VALIDATION' ? shape.validationStatus : e.status)
