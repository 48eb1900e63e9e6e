"""A labelled set of things people say, for the risk reader: what should bring the card.

Labels: ``risk`` (the person's own: the support card), ``third_party`` (someone else's: a
gentle check-in), ``negated`` (denied: asked about gently), ``none`` (nothing to do). Each
utterance is also tried as a recogniser would write it: lower case, no punctuation.

``python -m tests.risk_utterances`` prints recall and false alarms per language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from voicereflect.reflection.risk import assess

EN: tuple[tuple[str, str], ...] = (
    # explicit
    ("risk", "honestly some days I just want to die"),
    ("risk", "I've been thinking about killing myself, like actually how"),
    ("risk", "i keep having suicidal thoughts and they scare me"),
    ("risk", "sometimes i think everyone would be better off without me"),
    ("risk", "I don't want to be alive anymore."),
    ("risk", "I'd rather be dead than keep feeling like this"),
    ("risk", "i want to end my life"),
    ("risk", "I'm thinking about ending it all."),
    ("risk", "idk I just wanna die tbh"),
    ("risk", "I wish I was dead"),
    ("risk", "what's the point of living anymore"),
    ("risk", "I have nothing to live for, nothing"),
    ("risk", "um yeah so like i kind of want to die sometimes you know"),
    ("risk", "i dunno i just feel like ending it"),
    ("risk", "i cant stop thinking about killing myself"),
    ("risk", "I've been suicidal on and off since Christmas"),
    ("risk", "I'm going to kill myself, I can't do this"),
    # indirect
    ("risk", "I just want to go to sleep and never wake up"),
    ("risk", "I won't be a burden for much longer"),
    ("risk", "it'd be easier for everyone if I wasn't here"),
    ("risk", "I don't want to be here anymore"),
    ("risk", "sometimes I hope I don't wake up in the morning"),
    ("risk", "I wish I'd never been born"),
    ("risk", "I'm so tired of being alive"),
    ("risk", "I just want to disappear forever"),
    ("risk", "there's no reason to keep going"),
    ("risk", "I don't know if I want to live anymore"),
    ("risk", "my family would be better off if I was gone"),
    ("risk", "I wish I could just stop existing"),
    ("risk", "nobody would even notice if i was gone"),
    ("risk", "im a burden and i wont be around much longer"),
    ("risk", "I'd rather die than go on like this"),
    # method
    ("risk", "I was looking up how many pills it would take"),
    ("risk", "I keep thinking about jumping off the bridge on my way to work"),
    ("risk", "I googled painless ways to die last night"),
    ("risk", "I've thought about hanging myself"),
    ("risk", "I stood on the platform and thought about stepping in front of the train"),
    ("risk", "I know what a lethal dose of my meds is"),
    ("risk", "I thought about driving my car into a wall"),
    # intent, plan, preparation
    ("risk", "I've been saving up my sleeping pills"),
    ("risk", "I wrote goodbye letters to my kids"),
    ("risk", "I've started giving away my things"),
    ("risk", "I've decided, I'm going to kill myself"),
    ("risk", "I've made up my mind, I'm going to end my life this weekend"),
    ("risk", "I've been giving all my stuff away, I won't need it"),
    ("risk", "I've been stockpiling my meds"),
    # self-harm
    ("risk", "i've been self-harming again"),
    ("risk", "I cut myself last night"),
    ("risk", "I started cutting again."),
    ("risk", "I hurt myself on purpose when it gets bad"),
    ("risk", "I burn my arm with a lighter sometimes"),
    ("risk", "I've been hitting myself when I get overwhelmed"),
    ("risk", "self harm is the only thing that helps me right now"),
    # past behaviour
    ("risk", "I tried to kill myself when I was nineteen"),
    ("risk", "I took a whole bottle of pills two years ago"),
    ("risk", "I attempted suicide last year"),
    ("risk", "I overdosed in March and ended up in hospital"),
    ("risk", "I tried to take my own life before"),
    # idioms and intensifiers
    ("none", "I was just killing time before the train"),
    ("none", "I'm dying to tell her about the new job!"),
    ("none", "the cake at the wedding was to die for"),
    ("none", "we killed it at the presentation"),
    ("none", "my feet are killing me after that shift"),
    ("none", "I nearly died laughing at his speech"),
    ("none", "I'd die for a coffee right now"),
    ("none", "I was bored to death in that meeting"),
    ("none", "my phone died halfway through the call"),
    ("none", "I wanted to die of embarrassment when I tripped on stage"),
    ("none", "I've been killing myself at work to hit this deadline"),
    ("none", "that was career suicide, honestly"),
    ("none", "I cut my hair short and I love it"),
    ("none", "I cut back on coffee this week"),
    ("none", "I hurt myself at the gym, pulled something in my back"),
    ("none", "I cut myself shaving this morning"),
    ("none", "I'm thinking about dying my hair purple"),
    ("none", "I overdosed on coffee before the exam"),
    ("none", "my dog had an overdose of chocolate"),
    ("none", "I could just die, she saw my text"),
    ("none", "I'd rather die than sing karaoke in front of my boss"),
    ("none", "this traffic is killing me"),
    # prevention and education
    ("none", "At work we had a suicide prevention training. It felt meaningful"),
    ("none", "I'm writing my thesis on self-harm in teenagers"),
    ("none", "we watched a documentary about suicide in class"),
    ("none", "I read an article about overdose rates in our city"),
    ("none", "I did a mental health first aid course and we practised asking about suicide"),
    ("none", "our school had an assembly on self harm awareness"),
    ("none", "I volunteer for a suicide hotline on weekends and it's rewarding"),
    # someone else's
    ("third_party", "my uncle died by suicide last year and I still think about him"),
    ("third_party", "my friend tried to kill herself last week"),
    ("third_party", "I found out my sister has been cutting herself"),
    ("third_party", "my brother keeps saying he wants to die and I don't know what to do"),
    ("third_party", "a guy at my work overdosed over the weekend"),
    ("third_party", "I lost my best friend to suicide in college"),
    ("third_party", "my client told me she's been having suicidal thoughts"),
    # denied
    ("negated", "I'm not suicidal, just tired"),
    ("negated", "I'd never kill myself, I have my kids"),
    ("negated", "don't worry, I'm not going to hurt myself"),
    ("negated", "I don't want to die, I just want things to be different"),
    ("negated", "no I haven't self-harmed in years, I'm proud of that"),
    ("negated", "I have no intention of killing myself, I promise"),
    ("negated", "I don't think I'm suicidal, I'm just really low"),
    # heavy, but no risk
    ("none", "I'm exhausted and everything feels pointless at work"),
    ("none", "I feel really low today and I cried in the car"),
    ("none", "my grandma died in the spring and I miss her"),
    ("none", "I'm afraid of dying on the plane"),
    ("none", "I want to end my relationship but I'm scared"),
    ("none", "I want to stop drinking so much"),
    ("none", "my plan is to save up for a new car"),
    ("none", "I wrote a letter to my grandad to say thank you"),
    ("none", "I gave away my old clothes to charity"),
    ("none", "the pills the doctor gave me are helping"),
    ("none", "I took a bunch of vitamins this morning"),
    ("none", "I want to end it with him, it's been over for months"),
    ("none", "I said goodbye to everyone at my leaving party"),
)

KO: tuple[tuple[str, str], ...] = (
    # explicit and indirect
    ("risk", "그냥 다 끝내고 싶어요. 내가 없어지면 다들 더 편해질 것 같아요"),
    ("risk", "요즘 죽고 싶다는 생각이 자꾸 들어요"),
    ("risk", "죽고 싶어요"),
    ("risk", "살고 싶지 않아요"),
    ("risk", "사는 게 너무 지쳐서 그냥 사라지고 싶어요"),
    ("risk", "아침에 눈을 뜨지 않았으면 좋겠어요"),
    ("risk", "태어나지 말았어야 했어요"),
    ("risk", "살 이유가 없어요"),
    ("risk", "솔직히 자살 생각을 많이 해요"),
    ("risk", "극단적인 선택을 할까 생각했어요"),
    ("risk", "스스로 목숨을 끊고 싶다는 생각이 들어요"),
    ("risk", "나 같은 건 없는 게 나아요"),
    ("risk", "영원히 잠들고 싶어요"),
    ("risk", "그냥 다 끝내 버리고 싶어요"),
    ("risk", "모든 걸 끝내고 싶어요"),
    ("risk", "죽어 버리고 싶어요"),
    ("risk", "나 없으면 다들 나을 거예요"),
    ("risk", "제가 짐만 되는 것 같아서 사라지고 싶어요"),
    ("risk", "살기 싫어요"),
    ("risk", "죽는 게 나을 것 같아요"),
    ("risk", "요즘 그냥 죽고싶다는 생각만 들어요"),
    ("risk", "음 그러니까 솔직히 말하면 자살하고 싶어요"),
    # method, plan, intent
    ("risk", "수면제를 모아 두고 있어요"),
    ("risk", "약을 몇 알 먹으면 죽는지 찾아봤어요"),
    ("risk", "옥상에서 뛰어내릴까 생각했어요"),
    ("risk", "한강 다리에서 뛰어내리고 싶어요"),
    ("risk", "유서를 썼어요"),
    ("risk", "가족들한테 작별 편지를 써 뒀어요"),
    ("risk", "제 물건들을 친구들한테 다 나눠 줬어요"),
    ("risk", "목을 매려고 했어요"),
    ("risk", "이번 주말에 죽을래요"),
    # past behaviour
    ("risk", "전에 자살 시도를 한 적이 있어요"),
    ("risk", "작년에 약을 한꺼번에 먹은 적이 있어요"),
    ("risk", "죽으려고 했던 적이 있어요"),
    # self-harm
    ("risk", "또 자해를 했어요"),
    ("risk", "손목을 그었어요"),
    ("risk", "힘들 때마다 칼로 팔을 그어요"),
    ("risk", "스스로를 때리게 돼요"),
    # intensifiers and idioms
    ("none", "더워 죽겠어요"),
    ("none", "배고파 죽겠어요"),
    ("none", "졸려 죽겠어요"),
    ("none", "오늘 너무 웃겨 죽는 줄 알았어요"),
    ("none", "힘들어 죽겠어요 진짜 일이 너무 많아요"),
    ("none", "좋아 죽겠어요 합격했어요!"),
    ("none", "배불러 죽을 것 같아요"),
    ("none", "너무 창피해서 죽고 싶었어요"),
    ("none", "숙제를 다 끝내고 싶어요"),
    ("none", "숙제 다 끝내고 싶어요"),
    ("none", "이 프로젝트를 빨리 끝내고 싶어요"),
    ("none", "핸드폰 배터리가 죽었어요"),
    ("none", "화분이 죽어서 속상해요"),
    ("none", "어제 야근해서 죽는 줄 알았어요"),
    ("none", "다이어트 때문에 배고파 죽을 것 같아요"),
    # prevention and education
    ("none", "회사에서 자살 예방 교육을 받았는데 의미 있었어요"),
    ("none", "자살률 통계에 대한 기사를 읽었어요"),
    ("none", "학교에서 자해 예방 캠페인을 했어요"),
    ("none", "게이트키퍼 교육에서 자살 위험 신호를 배웠어요"),
    # someone else's
    ("third_party", "친구가 작년에 자살했어요"),
    ("third_party", "동생이 죽고 싶대요"),
    ("third_party", "삼촌이 스스로 목숨을 끊었어요"),
    ("third_party", "친구가 자해를 한다는 걸 알게 됐어요"),
    ("third_party", "그 사람이 죽고 싶다고 했어요"),
    ("third_party", "엄마가 요즘 살기 싫다고 말해요"),
    # denied
    ("negated", "죽고 싶은 건 아니에요. 그냥 피곤해요"),
    ("negated", "자살 생각은 없어요"),
    ("negated", "자해는 안 해요"),
    ("negated", "죽고 싶지는 않아요"),
    # heavy, but no risk
    ("none", "오늘은 조금 피곤했지만 친구를 만나서 좋았어요"),
    ("none", "할머니가 돌아가셔서 너무 슬퍼요"),
    ("none", "요즘 일이 너무 많아서 지쳐요"),
    ("none", "약을 먹고 나니까 좀 나아졌어요"),
    ("none", "방을 정리하고 안 쓰는 물건을 나눠 줬어요"),
    ("none", "어제 친구한테 작별 인사를 했어요. 이사를 가거든요"),
    ("none", "편지를 써서 엄마한테 드렸어요"),
    ("none", "죽을 만큼 힘들었던 시기를 지나왔어요"),
)


# Written after the lexicon above was settled, to see how it does on sentences it was not
# shaped on. Scored the same way; ``report()`` gives these figures on their own too.
EN_LATER: tuple[tuple[str, str], ...] = (
    ("risk", "some nights i lie there and think it would be easier to just not exist"),
    ("risk", "i've been having thoughts of ending my life"),
    ("risk", "i've got a stash of pills in my drawer just in case"),
    ("risk", "i keep thinking the world would be better without me in it"),
    ("risk", "i feel like i'd be doing everyone a favour if i died"),
    ("risk", "i'm done with life"),
    ("risk", "last night i sat in the bathroom with a razor and cut my arm"),
    ("risk", "i tried to overdose when i was at uni"),
    ("risk", "i've been scratching my arms until they bleed"),
    ("risk", "there are days i just don't see the point in being alive"),
    ("risk", "i think about suicide pretty much every day"),
    ("risk", "i'm scared i'm going to do something to myself"),
    ("risk", "i've written a note for my mum, for after"),
    ("risk", "i just want to die honestly"),
    ("risk", "i keep wishing i'd get hit by a bus"),
    ("risk", "i dont want to wake up tomorrow"),
    ("none", "the new season of that show is killer"),
    ("none", "i'm dead tired after work"),
    ("none", "my laptop is dying, i need a charger"),
    ("none", "i could kill for a pizza"),
    ("none", "that joke killed me"),
    ("none", "my plants all died while i was away"),
    ("none", "we're doing a unit on suicide in the great gatsby at school"),
    ("none", "i cut the onions and cried like a baby"),
    ("none", "i'm so done with this week"),
    ("none", "i burned myself on the oven"),
    ("none", "i hit my head on the cupboard"),
    ("none", "i'm sick of my job"),
    ("none", "i gave my old bike away to my neighbour"),
    ("third_party", "my mate from school killed himself in june"),
    ("third_party", "she said she's been having dark thoughts and wants to die"),
    ("third_party", "my dad attempted suicide when i was little"),
    ("negated", "i'm not going to do anything stupid, don't worry"),
    ("negated", "i would never take my own life"),
    ("negated", "no i'm not thinking about killing myself"),
)

KO_LATER: tuple[tuple[str, str], ...] = (
    ("risk", "그냥 이 세상에서 없어졌으면 좋겠어요"),
    ("risk", "요즘 자꾸 죽음에 대해 생각해요"),
    ("risk", "차라리 죽는 게 낫겠어요"),
    ("risk", "더 이상 살 자신이 없어요"),
    ("risk", "약을 사 모으고 있어요"),
    ("risk", "죽을 방법을 찾아봤어요"),
    ("risk", "어젯밤에 또 손목을 그었어요"),
    ("risk", "가끔 자해 충동이 들어요"),
    ("risk", "제가 사라져도 아무도 모를 거예요"),
    ("risk", "죽고 싶은 마음이 들어요"),
    ("risk", "너무 힘들어서 그냥 죽어버릴까 봐요"),
    ("risk", "옛날에 자살하려고 한 적 있어요"),
    ("none", "추워 죽겠어요"),
    ("none", "심심해 죽겠어"),
    ("none", "그 영화 너무 재밌어서 죽는 줄"),
    ("none", "오늘 회의 때문에 죽을 뻔했어요"),
    ("none", "자살 예방 캠페인 포스터를 만들었어요"),
    ("none", "우리 강아지가 초콜릿을 먹어서 병원에 갔어요"),
    ("none", "요리하다가 손을 베었어요"),
    ("third_party", "아는 언니가 자살했다는 소식을 들었어요"),
    ("third_party", "친구가 죽고 싶다고 문자를 보냈어요"),
    ("negated", "죽고 싶은 생각은 전혀 없어요"),
    ("negated", "자해 같은 건 안 해요"),
)


# Written last, after the lexicon had been settled on both sets above. Before any change
# it caught 7 of 18 English and 6 of 10 Korean risk utterances (no false alarm); the
# English misses left below need context no phrase carries ("a plan for how I'd do it").
EN_LAST: tuple[tuple[str, str], ...] = (
    ("risk", "honestly i think about ending things a lot lately"),
    ("risk", "i have a plan for how i'd do it"),
    ("risk", "i bought a rope last week and i keep looking at it"),
    ("risk", "what if i just didn't wake up, that would be fine with me"),
    ("risk", "i wish a car would just hit me on the way home"),
    ("risk", "i took too many of my antidepressants on purpose on saturday"),
    ("risk", "i cant see myself being alive next year"),
    ("risk", "i keep thinking everyone would be happier if i was dead"),
    ("risk", "i want to go to sleep forever"),
    ("risk", "i feel like killing myself tbh"),
    ("risk", "ive been cutting my thighs so nobody sees"),
    ("risk", "i punched the wall till my knuckles bled, i wanted it to hurt"),
    ("risk", "there's a bridge near my flat and i think about jumping"),
    ("risk", "i've said goodbye to my friends in my head"),
    ("risk", "i made a will and wrote letters to everyone"),
    ("risk", "i tried to hang myself in 2019"),
    ("risk", "i don't want to exist anymore"),
    ("risk", "i'm ready to die"),
    ("none", "i could murder a burger right now"),
    ("none", "this workout is going to kill me"),
    ("none", "my grandad is dying and i'm sad"),
    ("none", "i cut my finger chopping onions"),
    ("none", "he's in prison for killing someone"),
    ("none", "i want to end this call soon, i'm tired"),
    ("none", "i'm dead serious about quitting"),
    ("none", "my sister's goldfish died"),
    ("none", "that film about a man who wants to die at the end was beautiful"),
    ("none", "we talked about suicide risk assessment in my nursing course"),
    ("none", "i'm over it, honestly, i'm fine"),
    ("none", "i gave all my books to the library"),
    ("third_party", "my cousin overdosed and died in march"),
    ("third_party", "my partner has been talking about killing himself"),
    ("third_party", "my best friend self harms and i'm worried"),
    ("negated", "i'm not going to kill myself, i just needed to say how bad it is"),
    ("negated", "i don't have any thoughts of hurting myself"),
)

KO_LAST: tuple[tuple[str, str], ...] = (
    ("risk", "요즘 그냥 죽어 버릴까 하는 생각을 해요"),
    ("risk", "살아 있는 게 의미가 없는 것 같아요"),
    ("risk", "자살 방법을 검색해 봤어요"),
    ("risk", "창문 밖으로 뛰어내리고 싶다는 생각이 들어요"),
    ("risk", "제가 죽으면 다들 편해질 거예요"),
    ("risk", "다 내려놓고 사라지고 싶어요"),
    ("risk", "몰래 수면제를 조금씩 모으고 있어요"),
    ("risk", "어제 또 팔에 상처를 냈어요"),
    ("risk", "작년에 목을 매려고 한 적이 있어요"),
    ("risk", "더 이상 살고 싶은 마음이 없어요"),
    ("none", "짜증나 죽겠어요"),
    ("none", "보고 싶어 죽겠어요"),
    ("none", "회의가 너무 길어서 죽는 줄 알았어요"),
    ("none", "드라마에서 주인공이 자살하는 장면이 나왔어요"),
    ("none", "선인장이 다 죽어 버렸어요"),
    ("none", "일을 다 끝내고 쉬고 싶어요"),
    ("third_party", "사촌 동생이 자해를 한대요"),
    ("third_party", "아빠가 예전에 자살 시도를 했었어요"),
    ("negated", "자살할 생각은 전혀 없어요"),
    ("negated", "저는 죽고 싶지 않아요"),
)


def recognised(text: str) -> str:
    """``text`` as a recogniser writes it: lower case, no punctuation, hyphens as spaces."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s']", " ", text.lower())).strip()


@dataclass(frozen=True)
class Score:
    """How the reader did on one language's set (both the typed and recognised forms)."""

    positives: int
    caught: int
    negatives: int
    false_alarms: int
    check_ins: int
    check_ins_right: int
    missed: tuple[str, ...]
    alarmed: tuple[str, ...]
    wrong_check_in: tuple[str, ...]

    @property
    def recall(self) -> float:
        return self.caught / self.positives

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.negatives


def score(data: tuple[tuple[str, str], ...], lang: str) -> Score:
    """Run every utterance of ``data`` (typed and recognised) through ``assess``."""
    pos = caught = neg = alarms = checks = checks_right = 0
    missed: list[str] = []
    alarmed: list[str] = []
    wrong: list[str] = []
    for label, typed in data:
        for text in dict.fromkeys((typed, recognised(typed))):
            finding = assess(text, lang)
            reading = finding.reading if finding else "none"
            if label == "risk":
                pos += 1
                caught += reading == "risk"
                if reading != "risk":
                    missed.append(text)
                continue
            neg += 1
            if reading == "risk":
                alarms += 1
                alarmed.append(text)
            if label in ("third_party", "negated"):
                checks += 1
                checks_right += reading == label
                if reading != label:
                    wrong.append(f"{text} -> {reading}")
            elif reading != "none":
                wrong.append(f"{text} -> {reading}")
    return Score(
        pos, caught, neg, alarms, checks, checks_right, tuple(missed), tuple(alarmed), tuple(wrong)
    )


def report() -> str:
    """One line per language with recall and false alarms, then what went wrong."""
    lines = []
    sets = {
        "en": EN + EN_LATER + EN_LAST,
        "ko": KO + KO_LATER + KO_LAST,
        "en, written later": EN_LATER,
        "ko, written later": KO_LATER,
        "en, written last": EN_LAST,
        "ko, written last": KO_LAST,
    }
    for name, data in sets.items():
        lang = name[:2]
        s = score(data, lang)
        lines.append(
            f"{name}: {len(data)} utterances ({s.positives + s.negatives} with recogniser "
            f"forms); recall {s.caught}/{s.positives} = {s.recall:.1%}; false alarms "
            f"{s.false_alarms}/{s.negatives} = {s.false_alarm_rate:.1%}; check-ins read "
            f"right {s.check_ins_right}/{s.check_ins}"
        )
        lines += [f"  missed: {t}" for t in s.missed]
        lines += [f"  false alarm: {t}" for t in s.alarmed]
        lines += [f"  other reading: {t}" for t in s.wrong_check_in]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
