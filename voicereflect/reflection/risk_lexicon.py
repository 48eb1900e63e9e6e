"""The risk lexicon: phrase families over lemmas (English) and morphemes (Korean), in code.

It lives in code, not in the prompt packs, so an edited pack can never switch it off. The
families follow the screening questions of the Columbia Suicide Severity Rating Scale
(C-SSRS): wish to be dead, non-specific active thoughts, method, intent, plan or
preparation, past behaviour, and self-harm.

A pattern is a space-separated sequence matched against an answer's units, in order:
  English units are lemmas ("harming" -> "harm", "n't" -> "not", "wanna" -> "want to");
  Korean units are Kiwi morphemes written ``form/TAG`` ("죽/VV", "고/EC", "싶/VX").
  ``a|b``   one of these units;  ``죽/VV`` exact morpheme;  ``죽`` that form, any tag;
            ``/NNG`` any form with that tag
  ``~N``    up to N units of anything in between
  ``a_b``   two units as one alternative ("go_on|live")
  ``x?``    the unit is optional
  ``!x``    the next unit is not x
  ``$``     the clause ends here (punctuation, "and"/"but"/"so", or the end of the text)
  ``SELF``  a reflexive (myself, himself, my self…); ``POSS`` a possessive (my, his…)
Who a match is about (the person, or someone else) is read from SELF/POSS or the nearest
subject before it; that, negation and an education context decide what the app does.
"""

from __future__ import annotations

# Families in the order they are reported when several match.
FAMILIES = (
    "intent", "plan", "method", "past_behaviour", "self_harm", "active_thoughts", "wish_dead",
)  # fmt: skip

# Mentions: a bare word ("suicide", "자해") that is about the person only when nothing says
# otherwise. An education or prevention context makes a mention no risk at all.
MENTION = "mention"

EN_SELF = ("myself", "yourself", "ourselves", "my self", "me self")
EN_OTHER_SELF = ("himself", "herself", "themselves", "themself", "him self", "her self")
EN_POSS = ("my", "our", "your")
EN_OTHER_POSS = ("his", "her", "their")

EN_PATTERNS: dict[str, tuple[str, ...]] = {
    "intent": (
        "go|plan|decide|ready|intend|mean|gonna to ~2 kill SELF",
        "go|plan|decide|ready|intend|mean to ~2 end POSS own? life",
        "go|plan|decide|ready|intend|mean to ~2 take POSS own? life",
        "go|plan|decide|ready|mean to end it $",
        "make up POSS mind to die|end",
        "tonight be the night",
    ),
    "plan": (
        "save|stockpile|hoard|stash ~3 pill|tablet|med|meds|medication|painkiller|paracetamol|"
        "tylenol|insulin|sleeping",
        "goodbye|farewell letter|note|message|video|email",
        "write ~3 letter|note ~4 goodbye|farewell",
        "write ~3 goodbye|farewell",
        "write|leave ~2 letter|letters|note|notes to|for everyone|everybody|each|all",
        "note|letter ~5 for after $",
        "final|last goodbye|goodbyes",
        "give away ~2 thing|stuff|belongings|belonging|possession|everything",
        "give ~3 thing|stuff|belongings|belonging|possession|everything away",
        "put|get POSS affair in order",
        "suicide note|letter",
    ),
    "method": (
        "how many|much ~4 pill|tablet|paracetamol|tylenol|ibuprofen|aspirin|insulin|med|"
        "medication|sleeping ~4 would|kill|die|lethal|fatal|overdose|enough",
        "lethal|fatal dose|amount|overdose",
        "how to die|overdose|hang|unalive",
        "how to kill|hang SELF",
        "painless|quick|quickest|easy|easiest way|death|method ~3 die|go|out|end",
        "painless death|method",
        "jump off|from ~3 bridge|roof|building|balcony|cliff|tower|ledge|window|rooftop|"
        "overpass|car_park|parking_garage",
        "jump|step|walk|throw SELF? in front of ~2 train|bus|truck|car|lorry|traffic",
        "in front of a|the train|bus|truck|lorry on purpose",
        "hang SELF",
        "noose",
        "slit|cut|slash POSS wrist|wrists|throat",
        "gun to|in POSS head|mouth",
        "shoot SELF",
        "drown SELF",
        "crash|drive POSS car ~3 on purpose",
        "drive ~2 into|off ~3 wall|tree|cliff|traffic|oncoming|bridge|river|lake on? purpose?",
    ),
    "past_behaviour": (
        "try|attempt to kill|hang|drown|shoot SELF",
        "try|attempt to end|take POSS own? life",
        "try|attempt to end it",
        "attempt suicide",
        "suicide attempt|attempts",
        "take|swallow ~2 handful|bottle|box|packet|bunch|whole|all ~3 pill|tablet|med|"
        "medication|paracetamol|painkiller|sleeping",
        "too many ~4 pill|tablet|med|meds|medication|antidepressant|antidepressants|"
        "painkiller|painkillers|paracetamol|sleeping ~3 on purpose",
        "take|swallow|overdose ~6 on purpose",
        "overdose|od",
    ),
    "self_harm": (
        "hurt|harm|cut|burn|hit|punch|scratch|bite|starve|injure|punish|mutilate SELF",
        "scratch|cut|hit|punch|pick|bang ~4 until|till ~2 bleed",
        "do something|anything to SELF",
        "self harm|injury|injure|hurt|mutilation",
        "selfharm",
        "cut again",
        "start|begin|back_to|be cut $",
        "cut POSS arm|arms|leg|legs|wrist|wrists|thigh|thighs|skin|stomach",
        "burn POSS arm|arms|leg|legs|skin|hand with",
    ),
    "active_thoughts": (
        "kill SELF",
        "kill POSS self",
        "end POSS own? life",
        "end it all",
        "end everything $",
        "want|wanna|wish to end it $",
        "like|about|of end it $",
        "take POSS own? life",
        "unalive|unaliving SELF?",
        "finish SELF off",
        "do something|anything stupid",
        "do|done with life|live|be_alive $",
        "suicidal",
        "suicide",
        "think|thought about|of ~2 die|dying $",
        "think|thought about|of ~2 not be here|around|alive",
        "think|thought about|of ~2 not wake up",
        "think|thought about|of ~2 end thing !with",
        "think|thought about|of ~1 jump $",
    ),
    "wish_dead": (
        "want|wish|need|like to die",
        "want|wish|need to be dead",
        "wish i ~2 be|die dead?",
        "wish ~3 be never bear|born",
        "wish ~3 never be bear|born",
        "should never have be bear|born",
        "rather be dead",
        "rather die !than",
        "rather die than ~2 go_on|live|keep_go|continue|wake|feel|be",
        "better|well off dead",
        "better|well|happy|easy off? ~5 without me",
        "better|well|happy|easy ~5 if|when i be|were go|gone|dead",
        "better|well|happy|easy ~5 if|when i be|were not here|around|alive",
        "better|well|happy|easy ~5 if|when i die|disappear",
        "nobody|no_one ~3 notice|care|miss ~3 if|when i be|were go|gone|dead",
        "nobody|no_one ~3 notice|care|miss ~3 if|when i die|disappear",
        "not ~2 want to live|exist|wake|continue|go_on|keep_go|keep_live",
        "not ~2 want to be alive",
        "not ~2 want to be here|around anymore|any_long|much_long",
        "not know|sure if|whether i ~2 want to live|be_alive|go_on|keep_go",
        "no longer want to live|be_alive|be_here|exist",
        "not ~2 be here|around much_long|for_much_long|for_long|long",
        "not be a burden ~3 much_long|for_long|anymore",
        "no reason|point to|in|of live|exist|go_on|keep_go|be_alive|be_here",
        "nothing|nobody|no_one to live for",
        "what be the point of|in live|exist|go_on|be_alive|be_here",
        "life be not worth live",
        "not worth live",
        "tire|tired|sick of live|be_alive|exist|life $",
        "hope|wish|want ~4 not|never wake up",
        "sleep ~2 and never|not wake up",
        "sleep forever",
        "want|wish|like ~4 disappear|vanish forever|for_good|completely|permanently",
        "want|wish|like to ~2 disappear|vanish $",
        "wish i could ~2 disappear|vanish $",
        "wish i ~2 not exist",
        "stop exist|existing",
        "cease to exist",
        "ready to die",
        "if i ~2 not|never wake up",
        "wish|hope ~5 would ~2 hit|kill|run_over me",
        "not ~1 see SELF ~1 be? alive|around|here",
        "to|just ~1 not exist",
        "favour|favor ~4 if|when i ~1 die|dead|go|gone",
        "wish|hope ~3 get|be hit|run by a|the? bus|car|train|truck|lorry",
        "not ~2 see ~1 point of|in|to live|exist|go_on|keep_go|be_alive|be_here",
        "want|wish it ~3 all? to? end|stop $",
        "want|wish it all to? end|over",
    ),
}  # fmt: skip

# Which English patterns are bare mentions (see MENTION above).
EN_MENTIONS = frozenset(
    {
        "suicidal", "suicide", "overdose|od", "self harm|injury|injure|hurt|mutilation",
        "selfharm", "suicide note|letter", "attempt suicide", "suicide attempt|attempts",
    }
)  # fmt: skip

# Everyday phrases that hold a risk word and mean something else; masked before matching.
EN_IDIOMS = (
    "kill|killing time|hour|hours|minute|minutes",
    "kill some|the|a_bit_of|an ~1 time|hour|hours",
    "kill SELF laugh|work|try|study|run|train",
    "kill SELF at work|school|uni|college|the_gym|the_office",
    "kill SELF to get|finish|make|meet|keep",
    "die of|from embarrassment|shame|laughter|laugh|boredom|cringe|curiosity|heat",
    "die laugh",
    "die POSS|the? hair|beard",
    "to die for",
    "die to",
    "bore|scare|freeze|work to death",
    "overdose|od on|of ~2 coffee|caffeine|sugar|chocolate|candy|sweets|netflix|tv|work|"
    "cake|carbs|sun",
    "suicide squad|door|doors|mission|run|runs|drill|drills|sprint|sprints|pass|king|"
    "squeeze|song",
    "social|career|political|commercial suicide",
    "cut back|down|out|off|up|ties|class|classes|corner|corners|loose|short|through|in",
    "be over it",
    "end it with",
)  # fmt: skip

# Accident context: "I hurt myself at the gym" is an injury, not self-harm.
EN_ACCIDENT = frozenset(
    {
        "accident", "accidentally", "accidental", "play", "playing", "gym", "shave", "shaving",
        "cook", "cooking", "fall", "fell", "trip", "slip", "chop", "chopping", "football",
        "soccer", "basketball", "rugby", "tennis", "lift", "lifting", "workout", "ski",
        "skiing", "bike", "cycling", "garden", "gardening", "knee", "ankle", "back", "paper",
        "glass", "knife", "kitchen", "climb", "climbing", "sport", "sprain", "bruise", "ice",
        "stairs", "step", "hike", "hiking", "yoga", "dance", "dancing", "run", "running",
        "oven", "stove", "iron", "pan", "kettle", "hob", "toast", "grill", "barbecue",
    }
)  # fmt: skip

# Prevention, education, research or fiction: a mention there is not about the person.
EN_EDUCATION = frozenset(
    {
        "prevention", "prevent", "awareness", "training", "train", "workshop", "course",
        "seminar", "lecture", "class", "module", "documentary", "podcast", "article", "book",
        "novel", "research", "study", "thesis", "paper", "essay", "statistic", "statistics",
        "rate", "campaign", "fundraiser", "charity", "volunteer", "hotline", "helpline",
        "lifeline", "presentation", "news", "report", "policy", "lesson", "movie", "film",
        "show", "series", "episode", "character", "song", "lyric", "game", "webinar",
        "conference", "screening", "assessment", "protocol", "curriculum", "exam", "teach",
        "teaching", "educate", "education", "gatekeeper", "safetalk", "asist", "unit",
        "literature", "poem", "poetry", "play", "shakespeare", "hamlet",
    }
)  # fmt: skip

# Someone other than the speaker, as the subject of a clause.
EN_PEOPLE = frozenset(
    {
        "he", "she", "they", "him", "her", "them", "his", "their", "friend", "brother",
        "sister", "mom", "mum", "mother", "dad", "father", "parent", "son", "daughter", "kid",
        "child", "cousin", "uncle", "aunt", "auntie", "grandma", "grandpa", "grandmother",
        "grandfather", "grandparent", "nan", "husband", "wife", "partner", "boyfriend",
        "girlfriend", "ex", "colleague", "coworker", "classmate", "roommate", "flatmate",
        "neighbor", "neighbour", "boss", "teacher", "student", "client", "patient", "guy",
        "girl", "boy", "man", "woman", "someone", "somebody", "person", "character",
        "celebrity", "singer", "actor", "actress", "player", "teammate", "niece", "nephew",
        "stepdad", "stepmom", "fiance", "fiancee", "bestie", "mate", "buddy", "pal",
        "bandmate", "schoolmate", "relative", "grandson", "granddaughter", "stepson",
        "stepdaughter", "youth", "teenager", "teen", "lad", "bloke",
    }
)  # fmt: skip
# Possessives are left out: "at my work" says nothing about who did it.
EN_ME = frozenset({"i", "me", "we", "us", "you"})
EN_ANIMALS = frozenset(
    {"dog", "cat", "pet", "puppy", "kitten", "hamster", "horse", "bird", "fish", "rabbit",
     "parrot", "rat", "mouse", "plant"}
)  # fmt: skip

# Words that may stand between a negation and what it negates ("I'm not really going to").
EN_NEG_FILLERS = frozenset(
    {
        "i", "be", "really", "actually", "go", "to", "ever", "want", "feel", "think", "would",
        "will", "do", "have", "any", "plan", "intention", "intend", "of", "about", "like",
        "that", "it", "even", "seriously", "honestly", "thought", "idea", "so", "gonna",
        "could", "can", "at", "all", "something", "anything", "mean", "try", "planning",
        "going", "the", "a",
    }
)  # fmt: skip
EN_CLAUSE_BREAKS = frozenset(
    {"but", "and", "so", "because", "cause", "cos", "though", "although", "while", "whereas",
     "yet", "however", "anyway", "like"}
)  # fmt: skip

# --- Korean --------------------------------------------------------------------------

KO_PATTERNS: dict[str, tuple[str, ...]] = {
    "intent": (
        "죽/VV 으려고|려고|을래|ᆯ래|을래요|ᆯ래요",
        "죽/VV 어야/EC 겠",
        "죽/VV 기로 ~1 결심|마음|하/VV",
        "자살/NNG 하/XSV 려고|으려고|기로|ᆯ래|을래",
    ),
    "plan": (
        "약|수면제|진통제|알약|수면 ~3 모으|쌓/VV|모아",
        "작별|마지막 편지",
        "유서",
        "물건|소지품|것/NNB|거/NNB ~6 다/MAG|전부|모두 ~1 나누/VV|나눠",
        "신변 ~1 정리",
    ),
    "method": (
        "약|수면제|진통제|알약|수면 ~4 먹/VV ~2 죽/VV",
        "몇 알 ~3 먹/VV ~3 죽",
        "치사량",
        "뛰어내리/VV 고/EC 싶",
        "뛰어내리/VV ᆯ까|을까|려고|으려고|ᆯ래|을래",
        "옥상|다리|한강|아파트|건물|창문|베란다|난간 ~3 뛰어내리|뛰어들",
        "목/NNG 을|를? 매/VV",
        "번개탄",
        "죽/VV 는|을|ᆯ/ETM 방법",
        "죽/VV 을/ETM 수/NNB 있/VV ~2 방법",
        "손목|목/NNG 을|를? 긋/VV",
    ),
    "past_behaviour": (
        "자살/NNG 시도",
        "약|수면제|알약|진통제 을|를? 한꺼번에|잔뜩|한_통|한통|왕창|전부|다/MAG 먹/VV",
        "약|수면제|알약|진통제 ~2 과다/NNG 복용",
        "과다 복용",
    ),
    "self_harm": (
        "자해",
        "팔|다리|허벅지|손목|몸 ~3 긋/VV",
        "칼|면도날|커터 ~4 긋/VV|상처",
        "팔|다리|손목|허벅지|몸|손 ~3 상처 ~2 내/VV",
        "스스로|자신|나/NP|저/NP ~3 다치/VV 게",
        "스스로|자신 ~3 때리/VV|상처|해치",
        "저/NP|나/NP 를|을? 해치",
    ),
    "active_thoughts": (
        "자살",
        "극단/NNG 적/XSN ~2 선택",
        "목숨/NNG ~2 끊/VV",
        "생/NNG 을 마감",
        "삶|인생|생/NNG 을|를? 끝내|마감|마치",
        "죽/VV ᆯ|을|는/ETM 생각",
        "죽/VV 을까|ᆯ까",
        "모든/MM ~2 끝내/VV",
        "다/MAG|전부|모두 끝내/VV 고/EC 싶",
        "다/MAG|전부|모두 끝내/VV ~1 버리",
        "다/MAG|전부|모두 끝/NNG 내/VV 고/EC 싶",
    ),
    "wish_dead": (
        "죽/VV 고/EC 싶/VX",
        "죽/VV 어/EC 버리/VX ~1 싶/VX",
        "죽/VV 어/EC 버리/VX ᆯ까|을까|ᆯ래|을래|려고|으려고",
        "사라지/VV|없/VA ~3 었/EP 으면|면 좋/VA",
        "사라지/VV|죽/VV ~3 아무/NP 도/JX ~2 모르",
        "죽/VV 었/EP 으면|면 좋/VA",
        "죽/VV 는/ETM 것|거 ~2 낫/VA",
        "죽/VV 는/ETM 편 ~2 낫/VA",
        "살/VV|사/VV 고/EC 싶/VX 지/EC 않",
        "살/VV|사/VV 기/ETN 싫",
        "살/VV|사/VV ~1 이유|의미|희망|자신 ~2 없|모르",
        "살/VV|사/VV ~3 것|거 ~2 의미|이유 ~2 없",
        "살/VV|사/VV 고/EC 싶/VX ~3 마음|생각 ~2 없",
        "죽/VV 으면|면/EC ~5 편하|낫|행복|좋",
        "사라지/VV 고/EC 싶",
        "없/VA 어/EC 지/VX 고/EC 싶",
        "없/VA 어지/VV 고/EC 싶",
        "영원히 잠들/VV",
        "잠들/VV ~2 깨/VV ~1 않|말",
        "깨어나/VV 지/EC 않|말 ~2 으면|면|어야",
        "깨/VV 지/EC 않|말 ~2 으면|면",
        "눈 을|를? 뜨/VV 지/EC 않|말 ~2 으면|면|어야",
        "태어나/VV 지/EC 않|말",
        "나/NP|저/NP 가|는|이? ~1 없/VA ~7 편하|낫|좋|행복",
        "나/NP|저/NP 같/VA 은/ETM 것|거 ~2 없/VA",
        "짐/NNG ~2 되/VV ~4 싫|미안|그만|없어지|사라지",
    ),
}  # fmt: skip

KO_MENTIONS = frozenset({"자살", "자해", "유서", "자살/NNG 시도", "과다 복용"})

KO_IDIOMS = (
    "창피|부끄럽|민망|쪽팔리|창피하 ~3 죽/VV 고/EC 싶",
    "죽/VV 고/EC 싶 ~2 정도|만큼 ~2 창피|부끄럽|민망|쪽팔리|창피하",
    "/NNG /JKO? 다/MAG|전부|모두 끝내/VV",
)  # fmt: skip

KO_EDUCATION = frozenset(
    {
        "예방", "교육", "캠페인", "강의", "강연", "연수", "세미나", "워크숍", "다큐", "다큐멘터리",
        "기사", "뉴스", "통계", "논문", "보고서", "수업", "과제", "자원봉사", "봉사", "게이트키퍼",
        "생명존중", "지킴이", "드라마", "영화", "소설", "책", "예능", "인식", "률", "율", "연구",
        "발표", "정책", "상담원", "교육과정", "시험", "강좌", "토론", "포럼", "훈련",
    }
)  # fmt: skip

KO_PEOPLE = frozenset(
    {
        "친구", "동생", "언니", "오빠", "형", "누나", "엄마", "아빠", "어머니", "아버지", "부모",
        "남편", "아내", "와이프", "남친", "여친", "남자친구", "여자친구", "삼촌", "이모", "고모",
        "할머니", "할아버지", "사촌", "동료", "선배", "후배", "아들", "딸", "학생", "연예인",
        "가수", "배우", "사람", "이웃", "지인", "애", "아이", "팀장", "상사", "선생", "조카",
        "환자", "내담자", "그", "그녀", "걔", "얘", "쟤", "그분", "동기", "룸메이트", "형제",
        "자매", "부장", "과장", "사장", "손님", "고객", "누군가",
    }
)  # fmt: skip
KO_ME = frozenset({"나", "저", "내", "제", "우리", "저희"})
KO_ANIMALS = frozenset({"강아지", "고양이", "개", "반려견", "반려묘", "햄스터", "화분", "식물"})

# Connective endings a subject search reads past ("친구가 … 죽고 싶어"): other endings start a
# new clause, whose subject is not the match's.
KO_NEG_PASS_EC = frozenset({"지", "게", "고"})
