"""Realistic, varied report payloads shared by the benchmarks (not a benchmark itself).

Reports mix languages (English, Swahili, French, Hausa, Amharic, Arabic, Portuguese, Yoruba),
platforms, countries and categories, vary in length, and about a third carry a URL, so the
work the server does per report resembles a real election-day stream.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import random

PLATFORMS = ("facebook", "x", "whatsapp", "tiktok", "telegram", "youtube", "instagram")
CATEGORIES = ("disinformation", "hate_speech", "incitement", "voter_suppression")
COUNTRIES = ("KE", "NG", "TZ", "SN", "ET", "GH", "CI", "MZ", "SD", "BR")

# (language, country hint, sentences): each report is a few sentences in one language.
TEXTS: dict[str, list[str]] = {
    "en": [
        "A viral post claims polling stations in {place} will close at noon.",
        "This video says the electoral commission has already announced the winner.",
        "Voters are being told they can vote by SMS instead of at the polling station.",
        "The account shares a fake results sheet with the commission's logo.",
        "Several messages call for people from {place} to be chased from the county.",
        "A doctored photo shows the candidate burning ballot papers.",
        "It says anyone without a new ID card will be arrested at the polls.",
    ],
    "sw": [
        "Ujumbe unasema vituo vya kupigia kura {place} vitafungwa saa sita mchana.",
        "Video hii inadai tume ya uchaguzi tayari imemtangaza mshindi.",
        "Wapiga kura wanaambiwa wanaweza kupiga kura kwa SMS.",
        "Akaunti hii inasambaza matokeo ya uongo yenye nembo ya tume.",
        "Watu wa {place} wanatishiwa kufukuzwa kabla ya uchaguzi.",
    ],
    "fr": [
        "Une publication affirme que les bureaux de vote de {place} fermeront à midi.",
        "Cette vidéo prétend que la commission électorale a déjà proclamé le vainqueur.",
        "On dit aux électeurs qu'ils peuvent voter par SMS au lieu de se déplacer.",
        "Le compte partage une fausse feuille de résultats avec le logo de la CENI.",
        "Des messages appellent à chasser les habitants de {place} de la ville.",
    ],
    "ha": [
        "Wani sako ya ce za a rufe rumfunan zabe a {place} da tsakar rana.",
        "Bidiyon ya ce hukumar zabe ta riga ta bayyana wanda ya ci zabe.",
        "Ana gaya wa masu zabe cewa za su iya yin zabe ta hanyar SMS.",
        "Asusun yana yada takardar sakamako ta karya mai tambarin INEC.",
    ],
    "am": [
        "በ{place} የምርጫ ጣቢያዎች እኩለ ቀን ላይ ይዘጋሉ የሚል መልእክት እየተሰራጨ ነው።",
        "ይህ ቪዲዮ የምርጫ ቦርዱ አሸናፊውን አስቀድሞ አሳውቋል ይላል።",
        "መራጮች በኤስኤምኤስ መምረጥ እንደሚችሉ እየተነገራቸው ነው።",
    ],
    "ar": [
        "منشور يزعم أن مراكز الاقتراع في {place} ستغلق عند الظهر.",
        "يدعي هذا الفيديو أن المفوضية أعلنت الفائز بالفعل.",
        "يقال للناخبين إنهم يستطيعون التصويت عبر الرسائل القصيرة.",
    ],
    "pt": [
        "Uma publicação diz que as assembleias de voto em {place} fecham ao meio-dia.",
        "O vídeo afirma que a comissão eleitoral já anunciou o vencedor.",
        "Dizem aos eleitores que podem votar por SMS em vez de ir à mesa de voto.",
    ],
    "yo": [
        "Ifiranṣẹ kan sọ pe awọn ibudo idibo ni {place} yoo ti ni ọsan.",
        "Fidio yii sọ pe ajọ eleto idibo ti kede ẹni ti o bori.",
    ],
}
PLACES = ("Kisumu", "Kano", "Dakar", "Mombasa", "Addis Ababa", "Abidjan", "Maputo", "Lagos")
LANGUAGES = tuple(TEXTS)


def make_report(rng: random.Random, serial: int) -> dict[str, str]:
    """One report as a client would send it (fields omitted rather than empty)."""
    language = rng.choice(LANGUAGES)
    sentences = [
        rng.choice(TEXTS[language]).format(place=rng.choice(PLACES))
        for _ in range(rng.randint(1, 6))
    ]
    report = {
        "text": " ".join(sentences) + f" (#{serial})",
        "platform": rng.choice(PLATFORMS),
        "country": rng.choice(COUNTRIES),
        "category": rng.choice(CATEGORIES),
        "language": language,
    }
    if rng.random() < 0.35:
        report["url"] = f"https://example.org/{report['platform']}/post/{rng.getrandbits(48):x}"
    return report


def make_reports(count: int, seed: int = 2026) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [make_report(rng, i) for i in range(count)]


def warn_if_busy() -> None:
    """Other processes on the machine (a test run, say) make the figures low and noisy."""
    load = os.getloadavg()[0]
    print(f"load average (1 min) before the run: {load:.2f}")
    if load > 0.5:
        print("!! the machine is busy with other work: figures will be lower and noisier")


def print_profile(profiler: cProfile.Profile, top: int = 25) -> None:
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
        print(f"\n-- top {top} by {order} (full paths: file:line(function)) --")
        print(out.getvalue().strip())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats("/baraza/", 30)
    print("\n-- Baraza's own functions by cumulative time --")
    print(out.getvalue().strip())
