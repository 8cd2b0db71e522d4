/**
 * Benefit categories of the card catalog and the words (Korean and English) that point a
 * question at them. Matching is on the lower-cased question; when two keywords overlap the
 * longer one wins, so "스마트폰" is 통신 and not 마트, and "가스요금" is 공과금 and not 주유.
 * English keywords match whole words only ("cu" is not inside "cute").
 */

/** Every category a card benefit may carry (the advisor seed's `category_name`). */
export const CATEGORIES = [
  '교통', '통신', '카페', '해외', '주유', '편의점', '마트', '온라인쇼핑', '외식', '영화', '배달', '구독',
  '병원/약국', '교육', '여행/항공', '공과금',
] as const

/** One of CATEGORIES. */
export type Category = (typeof CATEGORIES)[number]

/** True when `name` is one of CATEGORIES. */
export const isCategory = (name: string): name is Category => (CATEGORIES as readonly string[]).includes(name)

/** Keyword → the categories it asks about (a few words ask about two, e.g. 여행 → 해외 and 여행/항공). */
const KEYWORDS: ReadonlyArray<readonly [string, readonly Category[]]> = [
  ...words(['교통', '교통비', '대중교통', '버스', '지하철', '전철', '택시', '기차', 'ktx', 'srt', '후불교통', 'transit', 'subway', 'bus', 'metro', 'taxi', 'transport', 'transportation'], ['교통']),
  ...words(['통신', '통신비', '휴대폰', '핸드폰', '휴대전화', '스마트폰', '폰요금', '인터넷요금', 'skt', 'kt', 'lg u+', '알뜰폰', 'phone', 'mobile', 'telecom', 'cellphone'], ['통신']),
  ...words(['카페', '커피', '스타벅스', '스벅', '투썸', '이디야', '메가커피', '빽다방', '커피빈', 'coffee', 'cafe', 'café', 'starbucks'], ['카페']),
  ...words(['해외', '해외결제', '해외직구', '직구', '외국', '외화', '환전', '해외송금', 'overseas', 'abroad', 'foreign', 'international'], ['해외']),
  ...words(['여행', '해외여행', '여행자', 'travel', 'trip'], ['해외', '여행/항공']),
  ...words(['국내여행', '항공', '항공권', '비행기', '마일리지', '공항', '라운지', '호텔', '숙박', '리조트', 'airline', 'flight', 'mileage', 'miles', 'lounge', 'hotel'], ['여행/항공']),
  ...words(['주유', '주유소', '기름', '기름값', '휘발유', '경유', 'lpg', '충전소', 'gas', 'gasoline', 'fuel', 'petrol'], ['주유']),
  ...words(['편의점', 'gs25', 'cu', '세븐일레븐', '이마트24', 'convenience store', 'convenience'], ['편의점']),
  ...words(['마트', '대형마트', '이마트', '홈플러스', '롯데마트', '코스트코', '장보기', '장 보기', '식료품', 'grocery', 'groceries', 'supermarket', 'mart'], ['마트']),
  ...words(['온라인쇼핑', '온라인 쇼핑', '쇼핑', '인터넷쇼핑', '쿠팡', '11번가', 'g마켓', '지마켓', '옥션', '네이버쇼핑', '네이버페이', '무신사', 'online shopping', 'shopping', 'coupang', 'ecommerce'], ['온라인쇼핑']),
  ...words(['외식', '식당', '음식점', '레스토랑', '맛집', '식비', '밥값', 'dining', 'restaurant', 'restaurants', 'eating out'], ['외식']),
  ...words(['영화', '영화관', '극장', 'cgv', '메가박스', '롯데시네마', 'movie', 'movies', 'cinema'], ['영화']),
  ...words(['배달', '배달앱', '배민', '배달의민족', '요기요', '쿠팡이츠', 'delivery', 'food delivery'], ['배달']),
  ...words(['구독', '정기결제', '넷플릭스', '유튜브', '유튜브 프리미엄', '디즈니플러스', '티빙', '웨이브', '멜론', '스포티파이', 'ott', 'subscription', 'subscriptions', 'netflix', 'youtube', 'spotify', 'streaming'], ['구독']),
  ...words(['병원', '약국', '병원비', '의료', '의료비', '동물병원', '치과', '한의원', 'hospital', 'pharmacy', 'medical', 'clinic'], ['병원/약국']),
  ...words(['교육', '교육비', '학원', '학원비', '학습지', '인강', '온라인강의', '서점', '도서', 'education', 'tuition', 'academy', 'books'], ['교육']),
  ...words(['공과금', '관리비', '전기요금', '전기세', '가스요금', '가스비', '수도요금', '수도세', '아파트관리비', '세금', 'utility', 'utilities', 'electricity', 'gas bill', 'water bill'], ['공과금']),
]

function words(list: readonly string[], categories: readonly Category[]): Array<readonly [string, readonly Category[]]> {
  return list.map((w) => [w, categories] as const)
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const isAscii = (s: string) => /^[\x20-\x7e]+$/.test(s)

const PATTERNS = KEYWORDS.map(([keyword, categories]) => {
  const body = escapeRegex(keyword).replace(/\s+/g, '\\s*')
  const pattern = isAscii(keyword) ? new RegExp(`(?<![a-z0-9])${body}(?![a-z0-9])`, 'g') : new RegExp(body, 'g')
  return { keyword, categories, pattern }
})

/** One category a question asks about, with the words that said so. */
export interface CategoryMatch {
  category: Category
  keywords: string[]
}

/**
 * The categories a question asks about, in the order they are first mentioned, each once.
 * Guarantees: overlapping keywords resolve to the longest one; an empty list means the
 * question names no category.
 */
export function detectCategories(question: string): CategoryMatch[] {
  const text = question.normalize('NFC').toLowerCase()
  const hits: { start: number; end: number; keyword: string; categories: readonly Category[] }[] = []
  for (const { keyword, categories, pattern } of PATTERNS) {
    for (const m of text.matchAll(pattern)) hits.push({ start: m.index, end: m.index + m[0].length, keyword, categories })
  }
  hits.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start)
  const kept: typeof hits = []
  for (const hit of hits) if (!kept.some((k) => hit.start < k.end && k.start < hit.end)) kept.push(hit)
  kept.sort((a, b) => a.start - b.start)

  const result: CategoryMatch[] = []
  for (const hit of kept) {
    for (const category of hit.categories) {
      const existing = result.find((r) => r.category === category)
      if (existing) {
        if (!existing.keywords.includes(hit.keyword)) existing.keywords.push(hit.keyword)
      } else result.push({ category, keywords: [hit.keyword] })
    }
  }
  return result
}
