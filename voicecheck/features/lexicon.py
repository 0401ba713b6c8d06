"""Closed word classes and tone markers for English and French, as plain data.

Pronouns, articles and prepositions are closed classes, so a list tells them without a tagger;
the tone markers are the words a reader notices (slang, profanity, intensifiers, laughter).
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


WE = {
    "en": _words("we us our ours ourselves we're we've we'll we'd let's"),
    "fr": _words("nous notre nos nôtre nôtres on"),
}
YOU = {
    "en": _words("you your yours yourself yourselves you're you've you'll you'd ya y'all u ur"),
    "fr": _words("vous votre vos vôtre vôtres tu te toi ton ta tes tien tienne t'"),
}
#: The French familiar "you": a brand that says "vous" and a post that says "tu" drifts.
YOU_FAMILIAR = {
    "en": frozenset(),
    "fr": _words("tu te toi ton ta tes tien tienne t' t'es t'as"),
}
I = {  # noqa: E741 - the pronoun
    "en": _words("i me my mine myself i'm i've i'll i'd im"),
    "fr": _words("je j' moi me m' mon ma mes mien mienne"),
}
ARTICLES_PREPOSITIONS = {
    "en": _words(
        "the a an of in on at by for with from into onto upon within without about above below "
        "between among through during before after under over against toward towards per via "
        "regarding concerning thus therefore hence whereas whom whose which"
    ),
    "fr": _words(
        "le la les l' un une des du de d' au aux à dans sur sous par pour avec sans entre parmi "
        "chez vers envers selon durant pendant avant après contre lors auprès afin ainsi donc "
        "toutefois néanmoins cependant dont lequel laquelle lesquels lesquelles auquel"
    ),
}
FUNCTION_WORDS = {
    "en": ARTICLES_PREPOSITIONS["en"]
    | WE["en"]
    | YOU["en"]
    | I["en"]
    | _words(
        "and or but if so as than then that this these those it its is are was were be been "
        "being have has had do does did not no nor can could will would shall should may might "
        "must he she they them his her their there here what who when where why how all any "
        "some each every also just only very too"
    ),
    "fr": ARTICLES_PREPOSITIONS["fr"]
    | WE["fr"]
    | YOU["fr"]
    | I["fr"]
    | _words(
        "et ou mais si que qu' qui quoi ce c' cet cette ces il elle ils elles lui leur leurs "
        "se s' sa son ses est sont était être a ont avait avoir ne n' pas plus ni y en très "
        "aussi bien tout tous toute toutes comme quand où comment pourquoi"
    ),
}
#: Casual register: chat abbreviations, slang and spoken forms.
CASUAL = {
    "en": _words(
        "lol lmao rofl omg omfg btw tbh imo imho idk ikr gonna wanna gotta kinda sorta dunno "
        "yeah yep yup nope nah hey hiya heya yo k thx thanx pls plz cuz coz "
        "guys dude awesome cool totally literally af ngl lowkey highkey "
        "vibes vibe bestie legit"
    ),
    # Only words that are casual wherever they stand: "bon" (bon samedi, du bon pain), "trop"
    # (trop de monde), "genre" (quel genre), "grave", "sérieux", "bref", "correct", "tantôt",
    # "blonde" and "char" are everyday French too, so they are not listed.
    "fr": _words(
        "lol mdr ptdr mdrr jsp jpp tkt bcp stp ouais ouep nan bah ben "
        "ouf chill cool coucou yo kiff kiffe kiffer "
        "chu chui j'suis t'sais pis là-là faque tsé pantoute chum "
        "l'fun fun"
    ),
}
#: Formal register: the words of letters, reports and announcements.
FORMAL = {
    "en": _words(
        "therefore furthermore moreover however nevertheless consequently accordingly hereby "
        "herein pursuant regarding concerning sincerely respectfully kindly please shall "
        "whereas thus hence notwithstanding additionally subsequently inquire assist "
        "endeavour endeavor commence facilitate regard ensure provide request"
    ),
    "fr": _words(
        "toutefois néanmoins cependant ainsi donc afin conséquemment également notamment "
        "dorénavant veuillez prière cordialement respectueusement sincèrement madame monsieur "
        "mesdames messieurs conformément relativement concernant auprès désormais "
        "assurer fournir souhaiter informer"
    ),
}
PROFANITY = {
    "en": _words(
        "damn dammit hell crap shit shitty bullshit fuck fucking fucked wtf wth ass asshole "
        "badass screw sucks sucked suck freaking frickin bloody bitch pissed"
    ),
    "fr": _words(
        "merde putain bordel con conne connerie chier chiant chiante crisse câlisse calisse "
        "tabarnak tabarnac tabarouette ostie osti esti câline sacrament foutre fous fout "
        "emmerde enfoiré salaud"
    ),
}
LAUGHTER = {
    "en": _words("lol lmao rofl haha hahaha hehe heh lolol jk kidding joke joking pun puns"),
    "fr": _words("lol mdr ptdr haha hahaha héhé hihi blague blaguer rigole rigoler humour jk"),
}
ENTHUSIASM = {
    "en": _words(
        "love loved loving amazing awesome excited exciting thrilled incredible fantastic "
        "wonderful wow yay woohoo hooray great best delighted can't-wait stoked beautiful "
        "perfect favourite favorite epic brilliant"
    ),
    "fr": _words(
        "adore adorons aime aimons génial géniale géniaux incroyable fantastique merveilleux "
        "merveilleuse wow youpi bravo hâte super formidable magnifique parfait parfaite "
        "extraordinaire ravi ravis ravie heureux heureuse fiers fière fier enchanté top"
    ),
}
#: Deference and care: what a respectful voice says.
RESPECT = {
    "en": _words("please thank thanks sorry apologies apologize appreciate kindly sincerely grateful"),
    "fr": _words("merci svp s'il plaît désolé désolés désolée excuses pardon remercions apprécions reconnaissants"),
}
#: English contractions, and the French spoken forms that drop letters.
CONTRACTION_SUFFIXES = ("n't", "'re", "'ll", "'ve", "'d", "'m", "’re", "’ll", "’ve", "’d", "’m", "n’t")
FRENCH_SPOKEN = _words("j'suis chu chui t'es t'as y'a ya p'tit p'tite j'sais jsais t'sais tsé pis")
