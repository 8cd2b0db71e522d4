/**
 * Labelled examples of what owners send, per petcare flow, in Korean and English: the
 * training set of the offline intent model (src/modules/ai/providers/offline-intent.ts).
 * Short hand-written messages, plus templates crossed with foods and nutrients so the model
 * learns the frame of a request rather than one food. bench:answers measures the router on
 * its held-out messages (bench/answers-fresh/routing.json, and the earlier
 * bench/answers-heldout/routing.json), none of which is here.
 */

const FOODS_KO = ['닭고기', '소고기', '연어', '칠면조', '오리고기', '돼지고기', '대구', '두부', '계란', '고구마', '단호박', '당근', '브로콜리', '현미', '감자', '양고기', '참치', '시금치', '애호박', '퀴노아']
const FOODS_EN = ['chicken', 'beef', 'salmon', 'turkey', 'duck', 'pork', 'cod', 'tofu', 'eggs', 'sweet potato', 'pumpkin', 'carrots', 'broccoli', 'brown rice', 'potatoes', 'lamb', 'tuna', 'spinach', 'zucchini', 'quinoa']
const RISKY_KO = ['포도', '양파', '초콜릿', '마늘', '자일리톨', '아보카도', '건포도', '마카다미아', '우유', '치즈', '생선뼈', '커피', '복숭아씨', '날달걀', '소금']
const RISKY_EN = ['grapes', 'onions', 'chocolate', 'garlic', 'xylitol', 'avocado', 'raisins', 'macadamia nuts', 'milk', 'cheese', 'cooked bones', 'coffee', 'raw eggs', 'salt', 'cherries']
const NUTRIENTS_KO = ['단백질', '지방', '칼슘', '인', '타우린', '비타민 D', '오메가3', '식이섬유', '나트륨', '아연']
const NUTRIENTS_EN = ['protein', 'fat', 'calcium', 'phosphorus', 'taurine', 'vitamin D', 'omega-3', 'fibre', 'sodium', 'zinc']

const pairs = <T>(xs: T[]): [T, T][] => xs.map((x, i) => [x, xs[(i + 7) % xs.length]!])

const RECIPE_TEMPLATES_KO = [
  (a: string, b: string) => `${a}랑 ${b}로 밥 만들어 줘`,
  (a: string, b: string) => `${a}하고 ${b} 넣은 레시피 부탁해`,
  (a: string, b: string) => `${a}와 ${b}를 써서 한 끼 만들어 줄래?`,
  (a: string) => `${a}로 우리 애 저녁 만들어 주세요`,
  (a: string, b: string) => `냉장고에 ${a}랑 ${b} 있는데 이걸로 식사 만들어줘`,
  (a: string) => `${a} 들어간 수제 사료 레시피 알려줘`,
]
/** A meal asked for with other verbs than "make" (차리다, 짜다, 끓이다 …), spaced or not. */
const MEAL_VERBS_KO = ['차려줘', '짜 줘', '요리해 줘', '준비해 줄래?', '구성해줘', '끓여 줘', '볶아줘', '만들어줄래', '해 줘', '차려 줄 수 있어?']
const MEAL_VERB_TEMPLATES_KO = [
  (a: string, b: string, v: string) => `${a}랑 ${b} 있으니까 밥 ${v}`,
  (a: string, b: string, v: string) => `${a}하고 ${b}로 저녁 한 그릇 ${v}`,
  (a: string, _b: string, v: string) => `${a} 넣어서 아침 식사 ${v}`,
]
const MEAL_VERBS_EN = ['whip up', 'throw together', 'rustle up', 'fix', 'cook up', 'prepare', 'put together', 'knock up']
const MEAL_VERB_TEMPLATES_EN = [
  (a: string, b: string, v: string) => `could you ${v} a dinner with ${a} and ${b}?`,
  (a: string, _b: string, v: string) => `${v} a quick lunch for my cat using ${a}`,
  (a: string, b: string, v: string) => `what can you ${v} for her with ${a} and ${b}?`,
]
const RECIPE_TEMPLATES_EN = [
  (a: string, b: string) => `make a meal with ${a} and ${b}`,
  (a: string, b: string) => `can you cook something using ${a} and ${b}?`,
  (a: string) => `give me a homemade recipe with ${a}`,
  (a: string, b: string) => `I have ${a} and ${b}, make dinner for my dog`,
  (a: string) => `prepare a ${a} bowl for my cat`,
  (a: string, b: string) => `create a recipe using ${a}, ${b} and rice`,
]
const RAG_TEMPLATES_KO = [
  (f: string) => `강아지가 ${f} 먹어도 돼요?`,
  (f: string) => `고양이한테 ${f} 줘도 괜찮아?`,
  (f: string) => `${f}는 왜 개한테 위험해?`,
  (f: string) => `우리 개가 ${f}를 먹었어요 어떡하죠`,
]
const RAG_TEMPLATES_EN = [
  (f: string) => `is ${f} safe for dogs?`,
  (f: string) => `can my cat eat ${f}?`,
  (f: string) => `why is ${f} bad for dogs`,
  (f: string) => `my dog ate some ${f}, is that dangerous?`,
]
const NUTRIENT_TEMPLATES = [
  (n: string) => `강아지는 하루에 ${n}이 얼마나 필요해요?`,
  (n: string) => `고양이 ${n} 권장량이 어떻게 돼?`,
  (n: string) => `${n}이 부족하면 어떻게 되나요?`,
]
const NUTRIENT_TEMPLATES_EN = [
  (n: string) => `how much ${n} does a dog need each day?`,
  (n: string) => `what is the recommended ${n} for cats?`,
  (n: string) => `what happens if my pet gets too little ${n}?`,
]
/** How much to feed by size and age, and what a shortage looks like: knowledge, not a meal to make. */
const AMOUNT_TEMPLATES = [
  (w: number) => `${w}kg 강아지는 하루에 얼마나 먹여야 해요?`,
  (w: number) => `${w}킬로 고양이 하루 급여량이 어떻게 돼?`,
  (w: number) => `how much should a ${w} kg dog eat a day?`,
  (w: number) => `how many cups of food for a ${w} kg cat?`,
]
const AGES = ['3개월', '6개월', '1살', '7살', '12살', '3 months old', '6 months old', '8 years old']
const AGE_TEMPLATES = [(a: string) => `${a} 강아지 하루 몇 번 밥 줘야 해?`, (a: string) => `how often should I feed a ${a} puppy?`]
const SHORTAGE = [
  '타우린 결핍 증상이 뭐예요?', '칼슘 부족하면 어떤 증상이 나타나?', '단백질이 모자라면 털이 빠져?', '비타민 A 과다하면 어떻게 돼?',
  '아연 결핍이면 피부가 어떻게 돼요?', '강아지 빈혈 생기는 영양소가 뭐야?',
  'what are the signs of taurine deficiency in cats?', 'what does calcium deficiency look like in puppies?', 'can too little protein make fur fall out?',
  'what happens if a dog gets too much vitamin A?', 'which deficiency causes dull coat?', 'symptoms of zinc deficiency in dogs',
]

/** Whether a food is safe prepared one way or another: still a knowledge question, not a meal to make. */
const PREPARED_TEMPLATES_KO = [
  (f: string) => `익힌 ${f}는 강아지한테 줘도 돼?`,
  (f: string) => `${f}를 삶아서 주면 괜찮아요?`,
  (f: string) => `날것인 ${f}도 고양이가 먹어도 되나요?`,
]
const PREPARED_TEMPLATES_EN = [
  (f: string) => `is cooked ${f} safe for a dog?`,
  (f: string) => `is it ok to give my cat raw ${f}?`,
  (f: string) => `does boiling ${f} make it safe for pets?`,
]
/** What a nutrient does for a pet, and whether to add it: knowledge. */
const BENEFIT_TEMPLATES_KO = [(n: string) => `${n}가 몸에 좋은 이유가 뭐야?`, (n: string) => `${n} 보충하면 뭐가 좋아져요?`, (n: string) => `${n} 영양제 먹이는 게 도움이 될까?`]
const BENEFIT_TEMPLATES_EN = [(n: string) => `what does ${n} do for a cat?`, (n: string) => `what are the benefits of ${n} for dogs?`, (n: string) => `should I give my dog a ${n} supplement?`]

/**
 * What owners ask about the app and the assistant itself (how to use it, what it can do, their
 * pets and account): answered in the conversation, neither a recipe nor a knowledge search.
 */
const APP_ACTIONS_KO = ['반려동물 추가', '펫 정보 수정', '몸무게 변경', '대화 기록 삭제', '알림 설정', '비밀번호 변경', '회원 탈퇴', '프로필 사진 변경', '둘째 등록', '언어 설정', '나이 수정', '저장한 내용 확인']
const APP_ACTIONS_EN = ['add another pet', "edit my pet's profile", 'update her weight', 'clear my chat history', 'turn off notifications', 'reset my password', 'delete my account', 'change the profile photo', 'register a second cat', 'switch the language', 'change his age', 'find my saved chats']
const APP_TEMPLATES_KO = [(a: string) => `${a}는 어떻게 해요?`, (a: string) => `앱에서 ${a} 할 수 있어?`, (a: string) => `${a} 메뉴는 어디 있어요?`]
const APP_TEMPLATES_EN = [(a: string) => `how do I ${a}?`, (a: string) => `can I ${a} here?`, (a: string) => `where do I go to ${a}?`]
const ABOUT_APP = [
  '이거 어떻게 쓰는 건지 모르겠어', '사용법 좀 알려줘', '여기서 뭘 할 수 있어?', '무슨 기능들이 있어요?', '너는 어떤 걸 도와줄 수 있어?', '처음 써 보는데 뭐부터 하면 돼?',
  '이 서비스 무료예요?', '내 정보는 안전하게 저장돼?', '너 사람이야 로봇이야?', '수의사 선생님이야?', '누가 만든 앱이야?', '대답이 좀 느리네', '말투 좀 편하게 해 줘',
  '영어로 말해도 알아들어?', '방금 한 말 다시 해 줄래?', '앞에서 물어본 거 기억해?', '도움말 보여줘', '문의는 어디로 하면 돼?', '앱이 자꾸 꺼져요', '화면이 안 넘어가요',
  'how does this app work?', 'I just downloaded this, where do I start?', 'what kind of things can you help me with?', 'what are you for?', 'is this service free?',
  'is my data kept private?', 'are you a bot or a person?', 'are you a real vet?', 'who built this app?', 'do you remember what I asked earlier?', 'can you say that again?',
  'can I talk to you in Korean?', 'show me the help page', 'how do I contact support?', 'the app keeps crashing', 'the screen is stuck', 'what does this button do?',
  'tell me about yourself', 'do you work offline?', 'can my partner use the same account?',
]

const recipe = [
  '레시피 만들어 줘', '우리 강아지 식단 짜 줘', '화식 만들어 주세요', '수제 간식 말고 주식 레시피 부탁해', '오늘 저녁 메뉴 추천해서 만들어 줘',
  '일주일치 식단표 만들어 줄래?', '집밥 레시피 하나 만들어 줘', '한 끼 분량으로 요리법 알려줘', '알레르기 없는 재료로 식사 구성해 줘',
  '다이어트용 저칼로리 레시피 만들어줘', '노견용 부드러운 식사 만들어 주세요', '새끼 고양이 먹일 밥 레시피 짜줘', '아침밥으로 먹일 거 만들어 줘',
  '남은 재료로 한 그릇 만들어줄 수 있어?', '밥 좀 해 줘', '저녁 좀 차려 줄래', '한 끼 준비해 줘', '식사 한 번 구성해 볼래?', '메뉴 좀 짜 줘',
  '먹일 밥 만들어 줄 수 있어?', '주식으로 먹일 한 그릇 부탁해', '재료 두 개로 뭐 해줄 수 있어?', '집에 있는 걸로 밥 해줘', '생식 레시피 구성해 줘', '자연식 만들어 보고 싶어 레시피 줘', '이 재료들로 뭐 만들 수 있을까?',
  'make a recipe for my dog', 'plan a meal for my cat', 'cook dinner for my puppy', 'I want a homemade diet plan', 'create a weekly meal plan',
  'put together a balanced meal', 'what can I cook for my dog with what I have?', 'design a low calorie recipe for weight loss',
  'make a soft food recipe for my senior dog', 'give me a kitten meal recipe', 'fix up a breakfast bowl', 'prepare a raw food recipe',
  'suggest and build a home cooked dinner', 'whip something up for her', 'can you make dinner?', 'fix a bowl for him', 'plan her meals', 'make something tasty for him tonight', 'could you draft a feeding menu for this week?',
  ...pairs(FOODS_KO).flatMap(([a, b], i) => [RECIPE_TEMPLATES_KO[i % RECIPE_TEMPLATES_KO.length]!(a, b), RECIPE_TEMPLATES_KO[(i + 3) % RECIPE_TEMPLATES_KO.length]!(b, a)]),
  ...pairs(FOODS_EN).flatMap(([a, b], i) => [RECIPE_TEMPLATES_EN[i % RECIPE_TEMPLATES_EN.length]!(a, b), RECIPE_TEMPLATES_EN[(i + 3) % RECIPE_TEMPLATES_EN.length]!(b, a)]),
  ...pairs(FOODS_KO.slice().reverse()).map(([a, b], i) => MEAL_VERB_TEMPLATES_KO[i % 3]!(a, b, MEAL_VERBS_KO[i % MEAL_VERBS_KO.length]!)),
  ...pairs(FOODS_EN.slice().reverse()).slice(0, 16).map(([a, b], i) => MEAL_VERB_TEMPLATES_EN[i % 3]!(a, b, MEAL_VERBS_EN[i % MEAL_VERBS_EN.length]!)),
]

const rag = [
  '강아지 하루 칼로리 얼마나 필요해?', '고양이 물은 하루에 얼마나 마셔야 해요?', '노령견 영양 관리 어떻게 해?', '고양이에게 타우린이 왜 중요해?',
  '강아지 비만인지 어떻게 알아?', '사료 알레르기 증상이 뭐야?', '칼슘과 인 비율은 어떻게 맞춰?', '퍼피는 성견보다 뭐가 더 필요해?',
  '고양이 체중 감량은 얼마나 천천히 해야 해?', '개한테 독성 있는 음식 뭐가 있어?', '중성화하면 사료 양을 줄여야 해?', 'AAFCO 기준이 뭐예요?',
  '고양이가 단백질을 개보다 많이 필요로 해?', '수분 섭취 늘리는 방법 있어?', '제거식이는 어떻게 해?', '노묘는 신장 때문에 인을 줄여야 하나요?',
  '강아지 간식은 하루 칼로리의 몇 퍼센트까지 괜찮아?', '우리 고양이 살 빼야 하는데 얼마나 먹여야 해?', '개가 먹으면 안 되는 과일 알려줘',
  'how many calories does my cat need?', 'how much water should a dog drink daily?', 'what foods are toxic to cats?', 'why do cats need taurine?',
  'how do I know if my dog is overweight?', 'what are the signs of a food allergy in dogs?', 'what is the right calcium to phosphorus ratio?',
  'do puppies need more protein than adult dogs?', 'how fast should an obese cat lose weight?', 'should senior dogs eat less protein?',
  'what does AAFCO say about minimum protein?', 'is a grain free diet good for dogs?', 'how much should I feed a neutered cat?',
  'what is an elimination diet?', 'how can I get my cat to drink more?', 'what percent of calories can treats be?',
  ...RISKY_KO.flatMap((f, i) => [RAG_TEMPLATES_KO[i % RAG_TEMPLATES_KO.length]!(f), RAG_TEMPLATES_KO[(i + 2) % RAG_TEMPLATES_KO.length]!(f)]),
  ...RISKY_EN.flatMap((f, i) => [RAG_TEMPLATES_EN[i % RAG_TEMPLATES_EN.length]!(f), RAG_TEMPLATES_EN[(i + 2) % RAG_TEMPLATES_EN.length]!(f)]),
  ...NUTRIENTS_KO.flatMap((n, i) => [NUTRIENT_TEMPLATES[i % 3]!(n), NUTRIENT_TEMPLATES[(i + 1) % 3]!(n)]),
  ...NUTRIENTS_EN.flatMap((n, i) => [NUTRIENT_TEMPLATES_EN[i % 3]!(n), NUTRIENT_TEMPLATES_EN[(i + 1) % 3]!(n)]),
  ...[2, 4, 5, 8, 12, 20, 30].flatMap((w, i) => [AMOUNT_TEMPLATES[i % 4]!(w), AMOUNT_TEMPLATES[(i + 2) % 4]!(w)]),
  ...AGES.map((a, i) => AGE_TEMPLATES[i < 5 ? 0 : 1]!(a)),
  ...SHORTAGE,
  ...FOODS_KO.slice(0, 12).flatMap((f, i) => [PREPARED_TEMPLATES_KO[i % 3]!(f)]),
  ...RISKY_KO.slice(0, 6).map((f, i) => PREPARED_TEMPLATES_KO[(i + 1) % 3]!(f)),
  ...FOODS_EN.slice(0, 12).flatMap((f, i) => [PREPARED_TEMPLATES_EN[i % 3]!(f)]),
  ...RISKY_EN.slice(8).map((f, i) => PREPARED_TEMPLATES_EN[(i + 1) % 3]!(f)),
  ...NUTRIENTS_KO.map((n, i) => BENEFIT_TEMPLATES_KO[i % 3]!(n)),
  ...NUTRIENTS_EN.map((n, i) => BENEFIT_TEMPLATES_EN[i % 3]!(n)),
]

const basic = [
  '안녕', '안녕하세요', '반가워요', '처음 뵙겠습니다', '하이', '좋은 하루예요', '오늘 날씨 좋네요', '고마워요', '감사해요', '정말 고마워', '덕분에 살았어',
  '수고했어', '잘 있어', '다음에 또 올게요', '굿모닝', '좋은 밤 되세요', '네 알겠어요', '오케이', '그렇구나', '좋아요', '이름이 뭐야?', '넌 누구야?',
  '잘 지냈어?', '오랜만이야', '우리 초코 너무 귀엽지?', '오늘 산책 다녀왔어', '우리 강아지 생일이야', '반가워 잘 부탁해', 'ㅎㅎ 고마워', '최고야',
  '도와줘서 고마워요', '감사합니다 좋은 하루 보내세요', '안녕히 계세요', '또 봐', '응 알았어', '대화 즐거웠어', '심심해', '뭐 하고 있어?',
  'hi', 'hello', 'hey there', 'good morning', 'good night', 'thanks', 'thank you so much', 'thanks for the help', 'bye', 'see you later',
  'nice to meet you', 'how are you?', 'who are you?', 'what is your name?', 'ok got it', 'cool', 'awesome, thanks', 'you are great',
  'my dog is so cute today', 'we just got back from a walk', 'have a nice day', 'long time no see', 'appreciate it', 'cheers',
  'good afternoon', 'great, that helps', 'alright', 'talk to you tomorrow', 'haha thanks', 'hello again', 'I am back',
  ...ABOUT_APP,
  ...APP_ACTIONS_KO.map((a, i) => APP_TEMPLATES_KO[i % 3]!(a)),
  ...APP_ACTIONS_EN.map((a, i) => APP_TEMPLATES_EN[i % 3]!(a)),
]

/** The examples of each petcare flow, by tool name. */
export const PETCARE_ROUTING_EXAMPLES: Record<'basic' | 'recipe' | 'rag', string[]> = { basic, recipe, rag }
