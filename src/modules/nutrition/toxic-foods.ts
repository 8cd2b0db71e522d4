/**
 * Foods that are toxic to dogs and/or cats, and the ingredient screen every recipe goes through.
 * The list and the reasons follow the ASPCA Animal Poison Control Center's "People Foods to
 * Avoid Feeding Your Pets" and the Merck Veterinary Manual (Toxicology); see SOURCES.md.
 * Toxicity is checked before allergies and before the composition table, so a toxic food is
 * refused with its reason even when IFCT 2017 happens to list it (grapes, onion, avocado …).
 */
import { describeAllergy, matchAllergy, resolveAllergies } from './allergens'
import { findIngredient, findUnavailable } from './ingredients'
import { findTerms, normalizeName, type Term } from './term-matcher'
import { AppError } from '../../platform/errors'

/** The species huddle's petcare surface knows. */
export type Species = 'dog' | 'cat'

/** A toxic food: its names, the species it is listed for and the reason, in Korean. */
export interface ToxicFood {
  id: string
  label: string
  ko: readonly string[]
  en: readonly string[]
  species: readonly Species[]
  reason: string
}

const BOTH: Species[] = ['dog', 'cat']

/** The toxic-food table. A food listed for one species only is accepted for the other. */
export const TOXIC_FOODS: readonly ToxicFood[] = [
  {
    id: 'grapes_raisins', label: '포도·건포도', species: BOTH,
    ko: ['포도', '청포도', '적포도', '건포도', '거봉', '샤인머스캣', '머스캣', '캠벨포도'],
    en: ['grape', 'raisin', 'sultana', 'currant'],
    reason: '소량으로도 개에게 급성 신부전을 일으킬 수 있습니다(원인 물질로 타르타르산이 지목됨). 고양이에게도 같은 위험이 보고되었습니다.',
  },
  {
    id: 'onion', label: '양파', species: BOTH,
    ko: ['양파', '적양파', '샬롯', '양파가루'],
    en: ['onion', 'shallot'],
    reason: '파속(Allium) 식물의 유기황 화합물이 적혈구를 손상시켜 용혈성 빈혈(하인즈 소체 빈혈)을 일으킵니다. 익히거나 가루로 만들어도 독성이 남고, 고양이가 특히 민감합니다.',
  },
  {
    id: 'garlic', label: '마늘', species: BOTH,
    ko: ['마늘', '다진마늘', '마늘가루', '흑마늘', '마늘종'],
    en: ['garlic'],
    reason: '양파와 같은 파속 식물로, 적혈구를 손상시켜 빈혈을 일으키며 무게당 독성은 양파보다 강합니다.',
  },
  {
    id: 'leek_chives', label: '파·부추', species: BOTH,
    ko: ['파', '대파', '쪽파', '실파', '부추', '리크', '차이브', '달래'],
    en: ['leek', 'chive', 'scallion', 'green onion', 'spring onion'],
    reason: '파속(Allium) 식물이라 양파·마늘처럼 적혈구를 손상시켜 빈혈을 일으킵니다.',
  },
  {
    id: 'chocolate', label: '초콜릿·코코아', species: BOTH,
    ko: ['초콜릿', '초콜렛', '초코', '코코아', '카카오'],
    en: ['chocolate', 'cocoa', 'cacao'],
    reason: '테오브로민과 카페인(메틸잔틴)이 구토, 빈맥, 떨림, 발작을 일으키며, 다크·베이킹 초콜릿일수록 위험합니다.',
  },
  {
    id: 'xylitol', label: '자일리톨', species: BOTH,
    ko: ['자일리톨'],
    en: ['xylitol', 'birch sugar'],
    reason: '개에게 인슐린을 급격히 분비시켜 저혈당을 일으키고 많은 양은 간부전을 일으킵니다. 무설탕 껌·사탕·일부 땅콩버터에 들어 있습니다.',
  },
  {
    id: 'macadamia', label: '마카다미아', species: BOTH,
    ko: ['마카다미아'],
    en: ['macadamia'],
    reason: '개에게 무기력, 뒷다리 약화, 떨림, 고열을 일으킵니다(기전은 밝혀지지 않았습니다).',
  },
  {
    id: 'avocado', label: '아보카도', species: BOTH,
    ko: ['아보카도'],
    en: ['avocado'],
    reason: '퍼신(persin)이 구토·설사를 일으킬 수 있고, 씨는 식도나 장을 막을 수 있습니다.',
  },
  {
    id: 'caffeine', label: '커피·카페인', species: BOTH,
    ko: ['커피', '원두', '카페인', '에스프레소', '녹차', '홍차', '에너지드링크', '에너지 음료'],
    en: ['coffee', 'caffeine', 'espresso', 'energy drink', 'black tea', 'green tea'],
    reason: '카페인(메틸잔틴)이 흥분, 빈맥, 떨림, 발작을 일으킵니다.',
  },
  {
    id: 'alcohol', label: '술(알코올)', species: BOTH,
    ko: ['술', '알코올', '알콜', '맥주', '소주', '와인', '포도주', '막걸리', '청주', '위스키', '보드카'],
    en: ['alcohol', 'beer', 'wine', 'liquor', 'ethanol', 'vodka', 'whisky', 'whiskey'],
    reason: '에탄올은 몸집이 작은 반려동물에게 구토, 운동실조, 저체온, 호흡 억제, 저혈당을 일으킵니다.',
  },
  {
    id: 'yeast_dough', label: '날 이스트 반죽', species: BOTH,
    ko: ['생반죽', '빵반죽', '날반죽', '이스트 반죽', '발효 반죽', '생이스트'],
    en: ['raw dough', 'yeast dough', 'bread dough', 'raw yeast'],
    reason: '위 속에서 부풀어 위 확장을 일으키고, 발효로 생긴 알코올이 중독을 일으킵니다.',
  },
  {
    id: 'cooked_bones', label: '익힌 뼈', species: BOTH,
    ko: ['익힌 뼈', '익힌뼈', '삶은 뼈', '삶은뼈', '구운 뼈', '닭뼈', '생선가시', '갈비뼈'],
    en: ['cooked bone', 'chicken bone', 'fish bone'],
    reason: '익힌 뼈는 날카롭게 쪼개져 입안·식도·장을 찌르거나 막을 수 있습니다.',
  },
  {
    id: 'nutmeg', label: '육두구(넛맥)', species: BOTH,
    ko: ['육두구', '넛맥'],
    en: ['nutmeg'],
    reason: '미리스티신이 방향 감각 상실, 빈맥, 발작을 일으킬 수 있습니다.',
  },
  {
    id: 'hops', label: '홉', species: BOTH,
    ko: ['홉'],
    en: ['hops'],
    reason: '개에게 치명적인 악성 고열을 일으킬 수 있습니다.',
  },
  {
    id: 'fruit_pits', label: '과일 씨', species: BOTH,
    ko: ['사과씨', '복숭아씨', '체리씨', '살구씨', '자두씨', '매실씨'],
    en: ['apple seed', 'peach pit', 'cherry pit', 'apricot kernel', 'plum pit'],
    reason: '씨에 든 시안배당체(아미그달린)가 씹히면 시안화물이 생길 수 있고, 큰 씨는 장을 막습니다.',
  },
  {
    id: 'lily', label: '백합', species: ['cat'],
    ko: ['백합'],
    en: ['lily', 'lilies'],
    reason: '백합과 식물은 꽃가루나 꽃병 물만으로도 고양이에게 급성 신부전을 일으킵니다.',
  },
]

const TERMS: readonly Term<ToxicFood>[] = TOXIC_FOODS.flatMap((food) =>
  [...food.ko, ...food.en].map((term) => ({ term, value: food })),
)

/** A toxic food named in some text, with the words that named it and their [start, end) span. */
export interface ToxicHit {
  food: ToxicFood
  term: string
  start: number
  end: number
}

/**
 * Toxic foods for `species` named anywhere in `text`, each once, in text order. Loose matching:
 * "양파즙" and "건포도빵" count, "포도당" and "파프리카" do not.
 */
export function findToxicFoods(text: string, species: Species): ToxicHit[] {
  const seen = new Set<string>()
  const hits: ToxicHit[] = []
  for (const hit of findTerms(text, TERMS, { loose: true })) {
    if (!hit.value.species.includes(species) || seen.has(hit.value.id)) continue
    seen.add(hit.value.id)
    hits.push({ food: hit.value, term: hit.term, start: hit.start, end: hit.end })
  }
  return hits
}

/** The one-line refusal for a toxic food. */
export const toxicReason = (food: ToxicFood): string => `독성 식품(${food.label}): ${food.reason}`

/** An ingredient that passed the screen and maps to an IFCT 2017 food. */
export interface AcceptedIngredient {
  name: string
  key: string
  ko: string
  food_code: string
}

/** The outcome of screening ingredient names for one pet. */
export interface IngredientCheck {
  accepted: AcceptedIngredient[]
  rejected: { name: string; reason: string; kind: 'toxic' | 'allergy' }[]
  unknown: { name: string; reason: string }[]
}

/**
 * Screens ingredient names for a pet. Guarantees each distinct name lands in exactly one list:
 * `rejected` (toxic for the species, checked first, or matching an allergy, with the reason),
 * `unknown` (safe as far as we know, but not in the curated IFCT 2017 map), or `accepted`.
 * Throws AppError VALIDATION when `names` is not a list of strings.
 */
export function checkIngredients(
  names: readonly unknown[],
  options: { species: Species; allergies?: readonly string[] },
): IngredientCheck {
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
    throw new AppError('VALIDATION', 'ingredients must be a list of names')
  }
  const allergies = resolveAllergies(options.allergies ?? [])
  const result: IngredientCheck = { accepted: [], rejected: [], unknown: [] }
  const seen = new Set<string>()
  for (const raw of names as string[]) {
    const name = raw.trim()
    const key = normalizeName(name)
    if (key === '' || seen.has(key)) continue
    seen.add(key)

    const toxic = findToxicFoods(name, options.species)[0]
    if (toxic) {
      result.rejected.push({ name, reason: toxicReason(toxic.food), kind: 'toxic' })
      continue
    }
    const allergy = matchAllergy(name, allergies)
    if (allergy) {
      result.rejected.push({
        name,
        reason: `알레르기: 등록된 알레르기 '${allergy.label}'(${describeAllergy(allergy)})에 해당하는 식재료입니다.`,
        kind: 'allergy',
      })
      continue
    }
    const entry = findIngredient(name)
    if (entry) {
      result.accepted.push({ name, key: entry.key, ko: entry.ko, food_code: entry.food_code })
      continue
    }
    const unavailable = findUnavailable(name)
    result.unknown.push({
      name,
      reason: unavailable
        ? `${unavailable}은(는) IFCT 2017 식품성분표에 없어 영양 계산을 할 수 없습니다.`
        : '등록된 식재료 목록에 없어 영양 계산을 할 수 없습니다.',
    })
  }
  return result
}
