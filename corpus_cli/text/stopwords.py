"""Function words: never an answer to "which words characterise these articles".

The index keeps them (a query of common words must still work, and phrases need
them); only ``terms`` leaves them out. Italian's list is Snowball's Italian stop
words (as Whoosh ships them), plus auxiliaries and adverbs that list lacks; the other
languages' are the Snowball project's lists (:mod:`corpus_cli.text.stoplists`),
folded as each language folds the words it indexes. A language Snowball has no list
for has none.
"""

from __future__ import annotations

from functools import cache

from corpus_cli.text.analysis import fold
from corpus_cli.text.languages import UNPREFIXED, surface_form
from corpus_cli.text.stoplists import SNOWBALL

_SNOWBALL = """
    a abbia abbiamo abbiano abbiate ad agl agli ai al all alla alle allo anche avemmo
    avendo avesse avessero avessi avessimo aveste avesti avete aveva avevamo avevano
    avevate avevi avevo avrai avranno avrebbe avrebbero avrei avremmo avremo avreste
    avresti avrete avrà avrò avuta avute avuti avuto c che chi ci coi col come con
    contro cui da dagl dagli dai dal dall dalla dalle dallo degl degli dei del dell
    della delle dello di dov dove e ebbe ebbero ebbi ed era erano eravamo eravate eri
    ero essendo faccia facciamo facciano facciate faccio facemmo facendo facesse
    facessero facessi facessimo faceste facesti faceva facevamo facevano facevate facevi
    facevo fai fanno farai faranno farebbe farebbero farei faremmo faremo fareste
    faresti farete farà farò fece fecero feci fosse fossero fossi fossimo foste fosti fu
    fui fummo furono gli ha hai hanno ho i il in io l la le lei li lo loro lui ma mi mia
    mie miei mio ne negl negli nei nel nell nella nelle nello noi non nostra nostre
    nostri nostro o per perché più quale quanta quante quanti quanto quella quelle
    quelli quello questa queste questi questo sarai saranno sarebbe sarebbero sarei
    saremmo saremo sareste saresti sarete sarà sarò se sei si sia siamo siano siate
    siete sono sta stai stando stanno starai staranno starebbe starebbero starei
    staremmo staremo stareste staresti starete starà starò stava stavamo stavano stavate
    stavi stavo stemmo stesse stessero stessi stessimo steste stesti stette stettero
    stetti stia stiamo stiano stiate sto su sua sue sugl sugli sui sul sull sulla sulle
    sullo suo suoi ti tra tu tua tue tuo tuoi tutti tutto un una uno vi voi vostra
    vostre vostri vostro è
"""

_MORE = """
    stato stata stati state essere avere sono era erano poi dopo anche ancora
"""

#: Folded forms (no accents), as the analyser indexes them.
ITALIAN: frozenset[str] = frozenset(fold(word) for word in (_SNOWBALL + _MORE).split())

#: Words a Snowball list dropped for search's sake that a listing still wants out.
#: French took out homonyms in 2020; of those, "is", "his", "been" and "will have"
#: are in every other sentence of news, where "east", "sound", "summer" and "aura"
#: are rare ("avions", planes, and "sommes", sums, stay listed).
_MORE_BY_LANGUAGE: dict[str, str] = {"fr": "est son été aura"}


@cache
def stop_words(language: str) -> frozenset[str]:
    """The stop words of ``language`` (an ISO 639-1 code), folded as it folds its words."""
    if language == UNPREFIXED:
        return ITALIAN
    words = SNOWBALL.get(language, "").split() + _MORE_BY_LANGUAGE.get(language, "").split()
    return frozenset(surface_form(word, language) for word in words)
