/** The console's words in Korean and English; the choice is kept in localStorage. */
const WORDS = {
  title: ['huddle 콘솔', 'huddle console'],
  signIn: ['로그인', 'Sign in'],
  register: ['가입', 'Register'],
  signOut: ['로그아웃', 'Sign out'],
  email: ['이메일', 'Email'],
  password: ['비밀번호', 'Password'],
  name: ['이름', 'Name'],
  registered: ['가입했습니다. 로그인하세요.', 'Registered. Now sign in.'],
  messenger: ['메신저', 'Messenger'],
  docs: ['문서 Q&A', 'Docs Q&A'],
  petcare: ['펫케어', 'Petcare'],
  couples: ['커플', 'Couples'],
  advisor: ['카드 추천', 'Advisor'],
  rooms: ['채팅방', 'Rooms'],
  newRoom: ['새 채팅방', 'New room'],
  findPeople: ['사람 찾기 (이름 또는 이메일)', 'Find people (name or email)'],
  search: ['검색', 'Search'],
  create: ['만들기', 'Create'],
  roomName: ['방 이름', 'Room name'],
  send: ['보내기', 'Send'],
  typing: ['입력 중…', 'typing…'],
  online: ['접속', 'online'],
  offline: ['오프라인', 'offline'],
  readBy: ['읽음', 'read'],
  attach: ['파일', 'File'],
  message: ['메시지', 'Message'],
  pickRoom: ['왼쪽에서 채팅방을 고르세요.', 'Pick a room on the left.'],
  upload: ['업로드', 'Upload'],
  documents: ['내 문서', 'My documents'],
  ask: ['질문', 'Ask'],
  stop: ['중지', 'Stop'],
  sources: ['출처', 'Sources'],
  chunks: ['청크', 'chunks'],
  pets: ['반려동물', 'Pets'],
  addPet: ['반려동물 등록', 'Add a pet'],
  species: ['종', 'Species'],
  age: ['나이(살)', 'Age (years)'],
  weight: ['체중(kg)', 'Weight (kg)'],
  neutered: ['중성화', 'Neutered'],
  timeline: ['진행 과정', 'Timeline'],
  recipe: ['레시피', 'Recipe'],
  nutrient: ['영양소', 'Nutrient'],
  value: ['값 /1000 kcal', 'Value /1000 kcal'],
  minimum: ['AAFCO 최소', 'AAFCO minimum'],
  partner: ['파트너', 'Partner'],
  partnerSignIn: ['파트너 계정으로 로그인', "Sign in as the partner"],
  createRoom: ['커플 방 만들기', 'Create a couple room'],
  invite: ['초대', 'Invite'],
  join: ['입장', 'Join'],
  question: ['질문', 'Question'],
  cards: ['추천 카드', 'Recommended cards'],
  annualFee: ['연회비', 'Annual fee'],
  error: ['오류', 'Error'],
  language: ['English', '한국어'],
} as const

export type Word = keyof typeof WORDS
let lang: 0 | 1 = localStorage.getItem('huddle.lang') === 'en' ? 1 : 0

/** The word in the chosen language. */
export const t = (word: Word): string => WORDS[word][lang]

/** Switches Korean ⇄ English and remembers it. */
export function toggleLanguage(): void {
  lang = lang === 0 ? 1 : 0
  localStorage.setItem('huddle.lang', lang === 1 ? 'en' : 'ko')
  document.documentElement.lang = lang === 1 ? 'en' : 'ko'
}
