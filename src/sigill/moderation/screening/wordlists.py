"""The default word lists, shipped with Sigill; communications edits its own copies later.

Terms are matched on lemmas, so one form of a word covers its inflections ("son" covers "sonen",
"söner"). Where the lemmatiser reads a form two ways ("döda" is both "kill" and "dead"), the list
names the forms it means. A term ending in "*" matches every word beginning with it. Each list is
written as communications will edit it: terms separated by commas.
"""

from __future__ import annotations

from sigill.moderation.screening.lexicon import Lexicon

VERSION = "2026.1"

_TERMS: dict[str, str] = {
    # Who a sentence is about: with one of these near it, sensitive data is about a person.
    "person": (
        "jag, du, han, hon, hen, vi, ni, sin, son, dotter, barn, bebis, mamma, pappa, mor, far, "
        "förälder, fru, make, maka, sambo, pojkvän, flickvän, syster, bror, farmor, farfar, mormor, "
        "morfar, granne, kollega, chef, kompis, vän, kille, tjej, elev, klasskamrat, svärmor, "
        "svärfar, anna, erik, lars, karin, maria, johan, eva, lena, anders, sara, mohammed, ahmed, "
        "fatima, ali, sven, ingrid, kalle, lisa, oskar, elsa"
    ),
    # A sensitive word right after one of these names a topic, not a person's condition.
    "topic_marker": "om, kring, angående, mot, inom, för",
    "health": (
        "diabetes, diabetiker, cancer, depression, deprimerad, adhd, add, autism, autistisk, "
        "asperger, demens, dement, alzheimer, epilepsi, astma, hiv, schizofreni, bipolär, psykos, "
        "ångest, utbrändhet, utbränd, sjukskriven, sjukskrivning, missbruk, missbrukare, alkoholist, "
        "narkoman, gravid, graviditet, missfall, stroke, hjärtinfarkt, funktionsnedsättning, "
        "rullstol, dyslexi, allergi, nötallergi, celiaki, diagnos, ms, parkinson, anorexi, "
        "ätstörning, självmordsförsök, cellgift, dialys"
    ),
    "ethnicity": (
        "invandrare, rom, romer, zigenare, same, somalier, syrier, afghan, kurd, arab, etiopier, "
        "eritrean, polack, finne, tornedaling, utlandsfödd, etnicitet, ursprung, flykting, "
        "asylsökande, papperslös"
    ),
    "religion": (
        "muslim, muslimsk, kristen, katolik, katolsk, jude, judisk, hindu, buddhist, ateist, "
        "jehovas vittne, pingstvän, moské, synagoga, frikyrka, konvertera, sjundedagsadventist, "
        "troende"
    ),
    "politics": (
        "sverigedemokrat, socialdemokrat, vänsterpartist, miljöpartist, centerpartist, "
        "kristdemokrat, kommunist, rösta på, röstar på, röstade på, partimedlem, medlem i partiet, "
        "sd-väljare, partiaktiv"
    ),
    "sexuality": (
        "homosexuell, gay, lesbisk, bisexuell, bög, flata, queer, transperson, komma ut, kom ut, "
        "hbtq, asexuell, pansexuell"
    ),
    "union": (
        "facket, fackförbund, fackmedlem, fackligt ombud, skyddsombud, lärarförbundet, if metall, "
        "unionen, sveriges lärare, vårdförbundet, kommunalarbetareförbundet"
    ),
    # A person's own matter with social services, school, care or permits.
    "individual_case": (
        "socialtjänst, soc, socialsekreterare, hemtjänst, lss, försörjningsstöd, ekonomiskt bistånd, "
        "bistånd, biståndshandläggare, biståndsbedömare, bygglov, färdtjänst, bostadsanpassning, "
        "elevhälsa, skolkurator, kurator, särskilt stöd, åtgärdsprogram, orosanmälan, familjehem, "
        "vårdnad, umgänge, assistans, boendestöd, särskilt boende, äldreboende, korttidsboende, "
        "trygghetslarm, handläggare, ansökan, avslag, ärende, utredning, överklaga, överklagande, "
        "skolskjuts, ledsagare"
    ),
    # Talking about one's own work in a service is not a case.
    "case_negative": "jobba, jobbar, arbeta, arbetar, tack, tacka, anställd",
    "threat": (
        "slå ihjäl, skjuta ihjäl, ta livet av, vet var du bor, vet var ni bor, akta dig, akta er, "
        "bränna ner, sätta eld på, spränga, bomba, hämnas, ska få se, ska dö, förtjänar att dö, "
        "knivhugga, strypa, skära halsen, hälsa på dig, kommer efter dig, ska ta dig, du är död, "
        "ni är döda"
    ),
    "threat_verb": "döda, dödar, skjuta, spöa, misshandla, knivhugga, våldta, mörda, strypa",
    # Who an attack can be aimed at: addressed people, pronouns and the roles people hold. "de"
    # is left out: its lemma is also the plural article ("skjuta upp de planerade arbetena").
    "target": (
        "du, ni, han, hon, hen, dig, honom, henne, kommunalråd, politiker, tjänsteman, handläggare, "
        "rektor, lärare, chaufför, bibliotekarie, personal, anna, erik, lars, karin, maria, johan, "
        "eva, lena, anders, sara, mohammed, ahmed, fatima, ali, sven, ingrid"
    ),
    "group": (
        "invandrare, muslim, jude, rom, romer, zigenare, somalier, utlänning, flykting, bög, "
        "homosexuell, araber, arab, afrikan, asylsökande, transperson, samer, same"
    ),
    "hate_predicate": (
        "parasit, pack, ohyra, kackerlacka, råtta, avskum, utrota, kasta ut, skicka hem, "
        "skickas hem, åka hem, djur, smitta, förstöra sverige, förstör sverige, äcklig, hata, "
        "inte människor, borde dö, gasa, deportera"
    ),
    "slur": "svartskalle, blatte, zigenar*, bögjävel, neger, negrer, invandrarjävel",
    "insult": (
        "idiot, pucko, dumhuvud, dum i huvudet, efterbliven, mongo, cp, äckel, fetto, jävel, "
        "kärring, hjärndöd, svin, as, skithög, kräk"
    ),
    "abuse": (
        "hora, fitta, luder, håll käften, dra åt helvete, fuck you, kuk, ingen vill ha dig, "
        "ta livet av dig, hoppa från en bro"
    ),
    "spam": (
        "klicka här, tjäna pengar, bitcoin, krypto, kryptovaluta, casino*, kasino*, snabblån, "
        "lån utan uc, rabattkod, onlyfans, viagra, forex, passiv inkomst, dm:a mig, "
        "skriv till mig på whatsapp, whatsapp, telegram, investera"
    ),
    "spam_hint": (
        "gratis, vinn, vinnare, erbjudande, köp, rabatt, bonus, kampanj, billig, följ mig, "
        "besök min profil, länk i bio, www, http, https, pengar, tjäna"
    ),
    "question_opener": (
        "när, var, vart, hur, vilken, vilket, vilka, vem, vad, varför, kan, får, går, finns, ska, "
        "måste, behöver, är, har, gäller, öppnar, stänger, kommer, blir, hämtas, töms, plogas"
    ),
    "question_phrase": (
        "undrar, vet någon, kan någon svara, hur gör man, vem ska jag kontakta, vart vänder man sig, "
        "vart ska man vända sig"
    ),
}

DEFAULT_LEXICONS: tuple[Lexicon, ...] = tuple(
    Lexicon.from_text(name, VERSION, terms) for name, terms in _TERMS.items()
)
