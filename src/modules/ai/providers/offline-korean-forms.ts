/**
 * Forms of one Korean word, for the offline answerer: a verb's stem meets its endings in the
 * syllables themselves (챙기 + 어 → 챙겨, 가져오 + ㄴ다 → 가져온다, 묵 + 어야 → 묵어야), so the
 * question's form and the document's share no string. These tests read the syllables' parts
 * (initial consonant, vowel, final consonant) instead.
 */

const SYLLABLE_BASE = 0xac00
const SYLLABLES = 11172

/** The parts of a Hangul syllable, or undefined for any other character. */
function parts(code: number): { initial: number; vowel: number; final: number } | undefined {
  const x = code - SYLLABLE_BASE
  if (x < 0 || x >= SYLLABLES) return undefined
  return { initial: Math.floor(x / 588), vowel: Math.floor((x % 588) / 28), final: x % 28 }
}

/**
 * A stem's last vowel and the vowel it becomes when an ending 어/아 contracts onto it:
 * ㅣ → ㅕ (챙기 / 챙겨, 데리 / 데려), ㅜ → ㅝ (피우 / 피워), ㅗ → ㅘ (오 / 와), ㅚ → ㅙ (되 / 돼),
 * ㅏ → ㅐ (하 / 해), ㅡ → ㅓ or ㅏ (쓰 / 써, 모으 / 모아). Vowel indices in Unicode's order.
 */
const CONTRACTED: [number, number][] = [[20, 6], [13, 14], [8, 9], [11, 10], [0, 1], [18, 4], [18, 0]]
const contracts = (a: number, b: number) => a === b || CONTRACTED.some(([x, y]) => (a === x && b === y) || (a === y && b === x))

/** Syllables that end a verb after its stem ("데리러", "가려면", "보내도", "챙기고"): what may follow a root. */
const ENDING_SYLLABLES = new Set('러려면서고도야요니며지게기나는은을던다라자')

/**
 * Whether the last compared syllables are one root syllable in two forms: the same initial
 * consonant, the same vowel or one contracted with an ending, any final consonant (만드 / 만들,
 * 피우 / 피워, 가져오 / 가져온).
 */
function sameRootSyllable(a: number, b: number): boolean {
  if (a === b) return true
  const x = parts(a)
  const y = parts(b)
  return x !== undefined && y !== undefined && x.initial === y.initial && contracts(x.vowel, y.vowel)
}

/**
 * Whether two Korean words are forms of one root of two syllables at least: over the shorter
 * one's length, or all of it but a last syllable that is an ending ("데리러" / "데려가려면"),
 * every syllable the same but the last, which may differ in its final consonant or by a
 * contracted ending (잃어버렸 / 잃어버려, 챙겨 / 챙기고, 피워 / 피우면); what follows is an ending.
 */
export function sameRoot(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length)
  if (n < 2 || a.charCodeAt(0) !== b.charCodeAt(0)) return false
  const shorter = a.length <= b.length ? a : b
  for (const m of [n, n - 1]) {
    if (m < 2 || (m < n && !ENDING_SYLLABLES.has(shorter[m]!))) continue
    let same = true
    for (let i = 1; i < m - 1 && same; i++) same = a.charCodeAt(i) === b.charCodeAt(i)
    if (same && sameRootSyllable(a.charCodeAt(m - 1), b.charCodeAt(m - 1))) return true
  }
  return false
}

/** What follows a one-syllable verb stem that ends in a consonant ("묵어야", "늦으면", "깎아", "씻고"). */
const AFTER_CLOSED_STEM = new Set('아어으았었는고지게겨기겠던')
/** The final ㄹ, and what follows a stem ending in it without 으 ("팔면", "살려면"). */
const FINAL_L = 8
const AFTER_L_STEM = new Set('면니려')

/**
 * Whether a word is a form of a one-syllable verb stem that ends in a consonant ("묵" in "묵어야",
 * "깎" in "깎아 준다"). An open syllable ("가", "차") is left out: it begins too many other words.
 */
export function formOfShortStem(stem: string, word: string): boolean {
  if (stem.length !== 1 || word.length < 2 || word.charCodeAt(0) !== stem.charCodeAt(0)) return false
  const p = parts(stem.charCodeAt(0))
  if (p === undefined || p.final === 0) return false
  // A stem ending in ㄹ takes 면, 니, 려 without 으 ("팔면", "살려면").
  return AFTER_CLOSED_STEM.has(word[1]!) || (p.final === FINAL_L && AFTER_L_STEM.has(word[1]!))
}


/**
 * The one-syllable stem of a two-syllable verb form ("팔아" → 팔, "묵어" → 묵, "깎고" → 깎): its
 * first syllable ends in a consonant and its second is an ending. Undefined for any other word.
 */
export function shortStemOf(word: string): string | undefined {
  if (word.length !== 2 || !AFTER_CLOSED_STEM.has(word[1]!)) return undefined
  const p = parts(word.charCodeAt(0))
  return p !== undefined && p.final !== 0 ? word[0] : undefined
}

/** Vowels a verb's 아/어 form ends in: ㅏ ㅐ ㅓ ㅕ ㅘ ㅙ ㅝ (가, 보내, 써, 데려, 와, 돼, 피워). */
const A_EO_FORM_VOWELS = new Set([0, 1, 4, 6, 9, 10, 14])

/**
 * Whether a word is a verb in its 아/어도 form ("타도", "보내도", "피워도", "먹어도"): the
 * syllable before 도 is the 아/어 form's, open and ending in its vowel. A noun with the particle
 * 도 ("강아지도", "사진도") is not, though an open noun ending in such a vowel ("차도") reads as one.
 */
export function isConcessiveVerb(word: string): boolean {
  if (word.length < 2 || !word.endsWith('도')) return false
  const p = parts(word.charCodeAt(word.length - 2))
  return p !== undefined && p.final === 0 && A_EO_FORM_VOWELS.has(p.vowel)
}

/**
 * Contracted 아/어 forms a verb ends in, by vowel and the initial consonants they take: ㅕ
 * (놓여, 적혀, 열려, 켜져, 맡겨), ㅘ (와, 봐), ㅝ (배워, 줘), ㅙ (돼). Nouns end so too, with other
 * initials mostly ("자녀", "전화", "중성화"), so only these count.
 */
const CONTRACTED_FORMS: [number, Set<number>][] = [
  [6, new Set([0, 5, 11, 12, 14, 18])],
  [9, new Set([7, 11])],
  [14, new Set([11, 12, 14])],
  [10, new Set([3])],
]
/** The initial ㅇ of 아 / 어 after a stem ending in a consonant ("붙어", "남아"). */
const SILENT_INITIAL = 11

/**
 * Whether a word is a verb in its 아/어 form, as before 있다 in "놓여 있어요", "붙어 있나요", "남아
 * 있어요" (a state, not a thing): its last syllable is open and a contracted form (놓여, 배워), or
 * 아/어 after a syllable ending in a consonant (붙어, 남아). Some nouns end so ("연어", "급여", "샤워").
 */
export function isStateVerb(word: string): boolean {
  if (word.length < 2) return false
  const last = parts(word.charCodeAt(word.length - 1))
  if (last === undefined || last.final !== 0) return false
  if (CONTRACTED_FORMS.some(([vowel, initials]) => last.vowel === vowel && initials.has(last.initial))) return true
  const before = parts(word.charCodeAt(word.length - 2))
  return last.initial === SILENT_INITIAL && (last.vowel === 0 || last.vowel === 4) && before !== undefined && before.final !== 0
}
