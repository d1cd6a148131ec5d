"""Meeting facts: which procedural facts a passage of minutes states, and which a question asks for.

A fact kind is something members ask about a meeting rather than its business: apologies, the chair, the
venue, a vote, call-in. :func:`fact_kinds` labels passages (ModernGov field lines such as "Is subject to
call in?: No" and narrative); :func:`wanted_kinds` labels questions as members type them. Both stay precise:
"The Chair said ...", interest rates, school exclusions or a topic-only question carry no kind.
"""

from __future__ import annotations

import re

from knowledge.text import clean_title, fold

__all__ = ["FACT_KINDS", "FACT_WORDS", "describe", "fact_kinds", "wanted_kinds"]

_DESCRIPTIONS = {
    "apologies": "apologies for absence",
    "present": "who was present",
    "substitute": "substitutes",
    "late_or_left": "late arrivals and departures",
    "membership": "changes of membership",
    "declaration": "declarations of interest",
    "chair": "who chaired",
    "minutes_approved": "minutes of the previous meeting",
    "urgent_business": "urgent business",
    "exclusion": "exclusion of the press and public",
    "vote": "voting",
    "moved_seconded": "moved and seconded",
    "venue": "venue",
    "time": "meeting times",
    "contact": "contact officer",
    "decision_maker": "decision maker",
    "decision_date": "date of decision",
    "published": "publication date",
    "effective": "when it takes effect",
    "call_in": "call-in",
    "key_decision": "key decision",
    "public_questions": "public questions, petitions and deputations",
    "next_meeting": "date of next meeting",
}

#: Every fact kind, in the order answers list them.
FACT_KINDS: tuple[str, ...] = tuple(_DESCRIPTIONS)

# Shared pieces of the patterns below (all over folded text, so lower case and straight quotes).
_CHAIR = r"(?:vice[- ]?)?chair(?:man|woman|person)?"
_CLLR = r"(?:councillors?|cllrs?\.?)"
_NUM = r"(?<![\d£$.,])"  # a number that is not part of a sum of money or a longer number
_MINS = r"(?:the |previous |last |draft )minutes\b|\bminutes of\b|\bminutes (?:be|were|was|are)\b"
_DECISION = r"de(?:c|s|sc)i?s+i?on"
_NOT = r"(?:(?:could|did|was|were|can|would|is|are|do|does)(?:n'?t| not)|cannot|cant|won'?t|unable to|not)"
_MODE = r"(?:in[- ]?person|face[- ]to[- ]face|remote(?:ly)?|virtual(?:ly)?|online|hybrid|(?:on|ms|microsoft|via|over) teams|zoom)"
_MEET = r"(?:meet\w*|met|held|attend(?:ed|ing)?|sit|sat|take place|took place|was it|were they)"


def _any(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.M)


#: What a passage of minutes states.
_STATES: dict[str, re.Pattern[str]] = {
    "apologies": _any(
        r"\bapologies\b(?! to\b)|\bapology for (?:absence|lateness)\b|\ban apology (?:was |had been )?(?:received|given|submitted|tendered)\b",
        r"\bsent (?:his|her|their) apolog",
        r"^absent\s*:",
        r"\b(?:was|were) (?:absent|not present)\b(?! (?:for|during|at|when)\b)",
    ),
    "present": _any(
        r"^(?:members |councillors |officers |others |also |those )?(?:present|in attendance)\b",
        rf"\b(?:members|{_CLLR}|officers|also|were|not) present\b|\bwas present (?:at|for|observing|in|during)\b",
        r"\bin attendance\b",
        r"\battendance (?:details|record|list)\b|\brecord of attendance\b|\battendees\b",
        r"\battended (?:the meeting|in (?:his|her|their) place|on behalf|as (?:an? |the )?(?:observer|substitute))",
    ),
    "substitute": _any(
        rf"\bsubstitut(?:ed|ing) (?:for|by)\b|\bon behalf of {_CLLR}|\bsubstitut\w* (?:members?|{_CLLR})\b|\bsubstitute for {_CLLR}",
        r"\bas (?:a |the )?(?:named )?substitute\b",
        r"\bsubstitut(?:es|ions?)\b",
        r"\battend\w* (?:in (?:his|her|their) place|on (?:his|her|their) behalf)",
        r"\bdeputi[sz]\w* for\b",
        rf"\bin place of {_CLLR}",
        r"\battended on behalf of\b",
    ),
    "late_or_left": _any(
        r"\barrived (?:late|at|during|after|shortly)\b|\blate arrival\b|\b(?:was|were|would be|will be) (?:running )?late\b",
        r"\b(?:left|joined|rejoined|returned to|withdrew from|re-?entered) the (?:meeting|room|chamber)\b",
        r"\bleft (?:early|at \d)|\bdeparted(?: the meeting| at \d|\s*[.;,]|$)",
        r"\bnot present (?:for|during|at) (?:the |this )?(?:item|consideration|vote|start|debate)",
    ),
    "membership": _any(
        rf"\bwelcom\w* (?:the )?(?:new )?(?:{_CLLR}|mr|mrs|ms|miss|dr) (?:\w+ ){{0,3}}(?:to (?:the |their |her |his |its )?(?:first meeting|cabinet|committee|board|panel|executive|group)|as (?:an? |the )?(?:new )?(?:member|{_CHAIR}|portfolio|cabinet member))",
        rf"\bnew (?:member|{_CLLR}|cabinet member|portfolio holder)s?\b|\b(?:outgoing|retiring|departing|former) (?:member|{_CLLR}|cabinet member|{_CHAIR}|portfolio holder)s?\b",
        r"\b(?:stood|stepped|stepping|standing) down\b|\b(?:his|her|their) (?:last|final) meeting\b|\bresign(?:ed|ation) (?:from|as)\b",
    ),
    "declaration": _any(
        r"\bdeclar\w*\b[^.;]{0,80}\binterests?\b",
        r"\binterests?\b[^.;]{0,40}\bdeclared\b",
        r"\b(?:pecuniary|prejudicial|personal|registrable|registerable|disclosable|non-registrable|significant) interests?\b",
        r"\bdpis?\b|\bdispensations?\b|\bno declarations?\b|^declarations?\b|\bpredetermination\b|\bdeclarations? of lobbying\b",
        r"\bdeclared (?:that )?(?:s?he|they) (?:was|were|is|are) (?:an? |the )?(?:\w+ ){0,2}(?:trustee|governor|member|director|employee|owner|shareholder|landlord|tenant|partner|chair)s?\b|\btook no part in the (?:debate|discussion|vote|decision)\b",
    ),
    "chair": _any(
        rf"\bin the chair\b|\((?:the )?{_CHAIR}\)|^{_CHAIR}\s*[:-]\s*(?:{_CLLR}|mr|mrs|ms|dr|[a-z])",
        rf"\b(?:re-?)?(?:elected|appointed|election|appointment|nominated)\b(?: (?:of|as))?(?: the| a)? {_CHAIR}\b",
        rf"\b(?:took|take|taking|vacated|vacate|vacating|resumed|resuming) the chair\b|\bnominations? (?:for|as) (?:the )?{_CHAIR}\b|\bchaired (?:the|this|by)\b|\bpresid(?:ed|ing)\b|\bas {_CHAIR} for the\b",
        # the chair named beside the word: "The independent chair, Dr Rowan Ellery, opened the meeting"
        r"\bthe (?!vice)(?:\w+ )?chair(?:man|woman|person)?,? (?:councillors?|cllrs?|mr|mrs|ms|miss|dr|prof(?:essor)?)\.? [a-z]",
    ),
    "minutes_approved": _any(
        rf"(?:{_MINS})(?!\s*:)[^.;]{{0,120}}\b(?:approved|agreed|confirmed|adopted|signed|accepted|amended)\b",
        rf"\b(?:approv|agree|confirm|sign|amend|accept)\w*\b[^.;]{{0,40}}(?:{_MINS})",
        r"\b(?:correct|true|accurate) (?:and accurate )?record\b|\bmatters arising\b|\bminute \d+[^.;]{0,40}\bamend",
        r"^minutes(?: of (?:the )?(?:previous|last) meeting| and action log)?\s*$",
    ),
    "urgent_business": _any(
        r"\burgent (?:business|items?|matters?)\b|\bitems? of urgen|\bany other (?:urgent )?business\b|\baob\b",
        r"\b(?:urgent|late) items?\b|\bitems? (?:which|that) the chair (?:considers|decides)\b[^.;]{0,20}\burgent",
    ),
    "exclusion": _any(
        r"\bexclu(?:de|ded|sion|ding)\b[^.;]{0,40}\b(?:press|public)\b|\b(?:press|public)\b[^.;]{0,40}\bexclu",
        r"\bexempt (?:information|items?|appendix|appendices|report|business|session)\b|\bschedule 12a\b|\bsection 100a\b",
        r"\bparagraphs? \d{1,2}\b[^.;]{0,30}\bpart (?:1|i|one)\b|\bpart (?:2|ii|two)\b(?! of\b)",
        r"\bin private session\b|\b(?:considered|held|taken|heard|met|discussed|dealt with) in private\b|\bin private\b(?=\s*[.;,]|$)",
        r"\bnot for publication\b|\brestricted enclosure\b|\bpublic interest in maintaining\b",
        r"\b(?:designated|treated|classed|considered) as (?:being )?(?:exempt|confidential)\b|\baccess to information procedure rules\b",
    ),
    "vote": _any(
        r"\b(?:recorded|named|roll[- ]call) vote\b|\bput to (?:the |a )?vote\b|\bvot(?:e|es|ed|ing)\b|\bon being put\b",
        r"\bfor\s*[:-]?\s*\d+\s*[,;]?\s*against\b|\b(?:for|against|abstentions?|abstained?)\s*:\s*\d+|\babstain\w*|\babstentions?\b",
        r"^(?:for|against|abstentions?|abstain(?:ed)?)\s*[-–:]?\s*\d+\b|^voting\s*:?$",  # "For 12: Councillors A, B ..."
        r"\bcarried\b(?! (?:out|forward|over|through|on)\b)|\bunanimous\w*|\bnem\.? con\w*|\bcasting vote\b|\bshow of hands\b",
        r"\b(?:motion|amendment|proposal)s? (?:was |were )?(?:lost|fell|defeated|fails?|failed)\b|\bby a majority\b",
    ),
    "moved_seconded": _any(
        r"\bmoved\b(?= (?:by|that|and)\b|\s*[,.;]|$)|\bseconded\b|\bseconder\b|\bproposer\b|\bmover\b",
        r"\bmoved (?:the |an? |this |his |her |their )?(?:\w+ )?(?:motion|amendment|recommendations?|resolution|proposals?|report|notice)\b",
        rf"\bproposed (?:by|and seconded)\b|\b{_CLLR} [\w'-]+(?: [\w'-]+)? proposed\b|\bon the motion of\b",
    ),
    "venue": _any(
        r"^venue\b|\bvenue\s*:|\bheld (?:at|in) (?:the )?[^.;]{0,40}\b(?:room|hall|chamber|centre|center|house|offices?|library|building)\b",
        r"\b(?:council chamber|committee room|town hall|civic cent(?:re|er)|county hall|guildhall|city hall|council offices)\b",
        r"\bremote (?:meeting|attendance)\b|\b(?:attended|joined|participated|held|took part) (?:\w+ )?(?:remotely|virtually)\b",
        r"\bvirtual meeting\b|\bhybrid meeting\b|\bin[- ]person meeting\b|\b(?:held|attended|attending|meeting) in[- ]person\b",
        r"\bmicrosoft teams\b|\bms teams\b|\bzoom\b",
    ),
    "time": _any(
        r"\b(?:commenced|started|began|opened|closed|ended|finished|concluded|adjourned|reconvened|resumed|rose)\b[^.;]{0,20}\bat \d",
        rf"\bmeetings? (?:be|to be|will be|would be|are|is|shall be) held at {_NUM}\d|\bstart(?:ing)? time\b",
        rf"{_NUM}\b\d{{1,2}}(?:[.:]\d{{2}})?\s*(?:am|pm|a\.m\b|p\.m\b)|\bnoon\b|\bmidday\b|\bthe meeting (?:ended|closed|finished)\b",
    ),
    "contact": _any(
        r"^contact\s*(?::|officers?\b|details\b|$)|\bcontact (?:officer|details)\s*:|\bdemocratic services officer\b|\b(?:tel|email)\s*:"
    ),
    "decision_maker": _any(
        r"\bdecision[- ]?(?:makers?|takers?)\b|\bdecision (?:was )?(?:taken|made) by\b|\b(?:individual|executive|cabinet|portfolio) (?:\w+ )?member decisions?\b|\bofficer decisions?\b|\bdelegated decisions?\b"
    ),
    "decision_date": _any(
        r"\bdate of (?:the )?decision\b|\bdecision date\b|\bdecision (?:was )?(?:taken|made) on\b|\bdate (?:decision )?(?:taken|made)\s*:"
    ),
    "published": _any(
        r"\bpublication date\b|\bdate (?:of )?publication\b|\bdate published\b|\b(?:first )?published on\b|\bpublished\s*:"
    ),
    "effective": _any(
        r"\beffective (?:from|date|on)\b|\b(?:comes?|came|coming) into (?:force|effect|operation)\b|\b(?:takes?|took|taking) effect\b",
        r"\bimplemented (?:from|on|after)\b|\bcan (?:then )?be implemented\b|\bimplementation date\b|\bdecision status\b",
    ),
    "call_in": _any(
        r"\bcall(?:ed|ing)?[- ]?in\b(?! to\b)|\bsubject to call\b|\bcall-?in (?:period|deadline|expiry)\b|\bexempt(?:ed)? from (?:the )?call\b",
        r"\burgency (?:procedure|provisions?|rules?|powers?|decision|clause)s?\b|\breasons? for urgency\b|\b(?:special|general) urgency\b|\bgeneral exception\b",
    ),
    "key_decision": _any(r"\bkey decisions?\b|\bnon-key\b|\bnotice of key\b|\bforward plan of key\b"),
    "public_questions": _any(
        r"\bpublic (?:questions?|question time|speaking|speakers?|participation|forum|statements?)\b|\bpetitions?\b|\bdeputations?\b",
        r"\bquestions? (?:from|by|submitted by|asked by) (?:members of )?the public\b|\bquestions? from (?:local )?residents\b",
        r"\bdeadline for (?:public )?questions\b|\bquestions? (?:must|should|are to|to) be (?:submitted|received)\b",
        r"\bmembers? of the public\b[^.;]{0,40}\b(?:asked|spoke|addressed|questions?|statements?)\b",
        r"\baddressed the (?:meeting|committee|board|cabinet|council|panel)\b|\b(?:at the invitation|with the permission) of the (?:chair|mayor)",
        r"\bwith the (?:chair|mayor)\w*'s permission\b|\bspoke (?:in (?:objection|support)|against the application)\b|\bto address the (?:committee|meeting|panel)\b",
    ),
    "next_meeting": _any(
        r"\b(?:date|dates|time) of (?:the )?next meeting\b|\bnext meeting (?:will|would|is|was|to|shall) be\b|\bnext meeting\s*:",
        r"\bfuture meeting dates\b|\bdates? of future meetings\b|\bnext (?:scheduled )?meeting (?:of the [\w ]{1,40} )?(?:will|would|is) (?:be )?(?:held|on)\b",
    ),
}

#: What a question asks for.
_ASKS: dict[str, re.Pattern[str]] = {
    "apologies": _any(
        r"\bapp?o?l+[oia]?g\w*|\bapp?ols?\b|\bregrets\b|\babsent(?:ees?)?\b|\bno[- ]shows?\b",
        rf"\b(?:who|which|any|anyone|anybody|members?|{_CLLR})\b[^?]{{0,40}}\b{_NOT} (?:\w+ )?(?:come|attend\w*|make it|be there|there|present|turn up|show up|(?:at|in) (?:the|that|this) meeting)\b",
        rf"\b(?:who|which \w+|members?|{_CLLR}|anyone|anybody) (?:was |were )?(?:missing|away|off)\b|\bwho missed\b",
    ),
    "present": _any(
        r"\bpresent\b(?! (?:the|a|an|his|her|their|its|this|that|to|on|it|them|findings|evidence|reports?)\b)|\battendees?\b|\bin attendance\b|\battendance (?:list|record|register|details)\b",
        r"(?:^|\b(?:the|meeting|members'?|councillors'?) )attendance\s*\??\s*$",
        rf"\b(?:who|which \w+|anyone|anybody|everyone|members?|{_CLLR}|officers?|how many) (?:\w+ ){{0,2}}attend(?:ed|ing)?\b",
        r"\battend(?:ed|ing)? (?:the|that|this) meeting\b|\b(?:who|which \w+) (?:else )?(?:was|were) (?:the \w+ )?(?:there|at (?:the|that)|in the room)\b",
        r"\bwho (?:came|turned up|showed up|took part)\b|\bwho (?:was|were|sat) on the (?:committee|panel|board)\b",
    ),
    "substitute": _any(
        r"\bsubs?\b(?![- ]?(?:committee|group|panel|board))|\bsubb(?:ed|ing)\b|\b(?:substitu|subsitu|substut|subtitu|substiu)\w*",
        r"\bstood in\b|\bstand(?:ing)? in\b|\bdeputi[sz]\w*|\bin (?:his|her|their) place\b|\binstead of (?:cllr|councillor)",
        rf"\breplac\w* (?:{_CLLR}|him|her)\b|\b{_CLLR} \w+ (?:was |were )?replaced\b|\bon behalf of {_CLLR}",
    ),
    "late_or_left": _any(
        r"\b(?:was|were|arrived?|arriving|came|come|joined|turn(?:ed)? up|running|get there) (?:\w+ )?late\b|\blate(?:comers?| arrivals?)\b",
        r"\bleft (?:early|the meeting|the room|before|during|part)\b|\bleft the (?:\w+ ){1,3}(?:meeting|room|chamber)\b|\bwho left\b|\bleav(?:e|ing) (?:early|the meeting|the room|before|during)\b",
        r"\bwalk(?:ed)? out\b|\bdepart(?:ed|ure)?\b|\bwho arrived\b|\barriv\w* (?:after|during)\b",
        rf"\bwhen (?:did|does|was|were) (?:{_CLLR} |the )?(?:\w+ ){{0,3}}(?:join|arrive|leave|come in|turn up)\b",
    ),
    "membership": _any(
        r"\bwho (?:was|were|is|are|got) (?:\w+ )?(?:welcomed|leaving|joining|new|outgoing|stepping down|retiring)\b|\bwelcomed\b",
        rf"\bnew (?:members?|{_CLLR}|cabinet members?|portfolio holders?)\b|\b(?:outgoing|leaving|departing|retiring) (?:members?|{_CLLR}|cabinet members?)\b|\b(?:stood|stepped|stepping) down\b",
    ),
    "declaration": _any(
        r"(?<!emergency )(?<!emergency was )(?<!emergency been )\b(?:declar|decler|delcar|declair)\w*\b(?![^?]{0,60}\bemergenc)|\bdecl\b|\bdpis?\b|\bpecuniary\b|\bprejudicial\b",
        r"\b(?:an?|any|their|his|her|no|personal|financial|registrable|registerable|disclosable|members'?|councillors'?) interests?\b",
        r"\binterests?\s*\??\s*$|\binterests? (?:declared|registered|register)\b|\bconflicts? of interest|\bconflicted\b|\blobbied\b",
    ),
    "chair": _any(
        r"\b(?:vice[- ]?)?(?:chair|chiar|cahir|chari)(?:ed|ing|man|men|woman|person|s)?\b"
        r"(?![^?]{0,40}\b(?:say|said|says|ask|asked|think|thought|comment\w*|raise\w*|mention\w*|felt|feel|argue\w*|want\w*|suggest\w*|propos\w*)\b)",
        r"\bpresid\w*",
    ),
    "minutes_approved": _any(
        r"\b(?:minutes?|minuets?|mins|minites|minuts)\b[^?]{0,60}\b(?:approv|agree|confirm|sign|accept|adopt|amend|correct|accurate|ratif|pass)\w*",
        r"\b(?:approv|agree|confirm|sign|accept|adopt|amend|ratif)\w*\b[^?]{0,40}\b(?:minutes|minuets|mins|minites|minuts)\b",
        r"\b(?:previous|last|prior|earlier) (?:meeting'?s? )?(?:minutes|mins)\b|\bmatters arising\b|\b(?:correct|accurate|true) record\b",
    ),
    "urgent_business": _any(
        r"\burgent (?:bu\w*|items?|matters?|stuff|things?|ones?)\b|\b(?:anything|any|something|items?) (?:\w+ )?urgent\b(?! (?:care|treatment|repairs?|referrals?|cases?|needs?|action|review)\b)|\burgent\s*\??\s*$",
        r"\baob\b|\bany other business\b|\blate items?\b",
    ),
    "exclusion": _any(
        r"\bexclu\w*\b(?=[^?]{0,60}\b(?:press|public|media|private)\b)|\b(?:press|public|media)\b[^?]{0,30}\b(?:exclu|kicked|asked to leave|removed)",
        r"\bexempt\b(?! from)|\bprivate (?:session|part|item|business)\b|\bpart (?:2|ii|two)\b(?! of\b)|\bpt\.? ?2\b|\bschedule 12a\b|\b12a\b",
        r"\b(?:taken|held|heard|discussed|considered|dealt with|meet\w*|met|go|went|moved?|sat|session|part|items?|business) (?:\w+ ){0,2}in (?:private|priv[aei]?te?|pirvate|prvate)\b|\bin private\s*\??\s*$",
        r"\bconfidential (?:item|session|part|business|report|appendix|bit)s?\b|\b(?:it|this|that|item|report) (?:was |were |is |being )?confidential\b",
        r"\bclosed (?:session|doors)\b",
    ),
    "vote": _any(
        r"\bvot(?:e|es|ed|ing|er|ers)?\b(?! age\b| at 1[68]\b)|\bvoet\b|\bun(?:an|am|n)[a-z]{0,3}mou?s(?:ly)?\b|\b(?:recorded|named) vote|\babstain\w*|\babstention",
        r"\bcarried\b(?! (?:out|forward|over|through|on)\b)|\bdefeated\b|\bnem con\b|\bshow of hands\b|\bhow many (?:were )?(?:for|against)\b",
        r"\b(?:motion|amendment|resolution|proposal|recommendation)s?\b[^?]{0,40}\b(?:pass|passed|carried|lost|defeated|fail\w*|go through|went through)\b",
        r"\b(?:for|against) and (?:for|against)\b|\boutcome of the (?:motion|amendment|vote)\b|\bwhat happened to the (?:\w+ ){0,3}(?:motion|amendment)\b",
    ),
    "moved_seconded": _any(
        r"\bwho (?:\w+ ){0,2}(?:moved|proposed|seconded|put forward|tabled)\b|\bsec?onde[dr]\b|\bsceond\w*|\bseconding\b",
        r"\bmover\b|\bproposer\b|\b(?:moved|proposed) by\b|\bsecond(?:ed)? (?:it|the motion|the amendment)\b|\bmoved and\b",
    ),
    "venue": _any(
        rf"\b(?:where|wher|whre)\b[^?]{{0,90}}\b{_MEET}\b|\bvenue?s?\b|\b(?:which|what|wat) (?:room|building|hall|venue|location|chamber)\b",
        rf"\b{_MODE}\b[^?]{{0,10}}\bor\b[^?]{{0,10}}\b{_MODE}\b|\b{_MEET}\b[^?]{{0,15}}\b{_MODE}\b|\b{_MODE}\b[^?]{{0,40}}\b(?:meet\w*|met|held)\b",
    ),
    "time": _any(
        r"\bw(?:h)?at ti(?:me|em)\b|\bstart(?:ing)? time\b|\bfinish(?:ing)? time\b|\b(?:start|begin|began|started|commence\w*|finish\w*|end|ended) at\b",
        r"\bwhen (?:do|does|did|will|is|was) (?:the |that |this )?(?:\w+ ){0,3}(?:meetings?|it|they|cabinet|council|committee|board|panel|scrutiny) "
        r"(?:usually |normally |meetings? )?(?:start|begin|commence|finish|end|close|kick off)\b",
        r"\bhow long (?:did|does|was|is) (?:the |that |this )?meeting\b|\bhow long did (?:it|they) (?:last|go on|run)\b",
    ),
    "contact": _any(
        r"\bcontact (?:officer|details|person|name|email|number)s?\b|\bwho (?:is|was|'s) the contact\b|\bwho to (?:contact|ask|email)\b|\bcontact\s*\?",
        r"\bwho (?:do|should|can|could) i (?:contact|ask|email|phone|ring|call|speak to|talk to)\b|\bclerk\b|\bdemocratic services\b",
    ),
    "decision_maker": _any(
        rf"\b{_DECISION}[- ]?(?:makers?|takers?)\b|\bwho (?:\w+ ){{0,2}}(?:made|took|takes|make|take|signed off|signed)\b[^?]{{0,20}}\b{_DECISION}\b",
        rf"\bwho decided\b|\bwho (?:made|took|makes|takes) (?:it|the call)\b|\bwhose {_DECISION}\b|\b(?:made|took) the {_DECISION}\b",
    ),
    "decision_date": _any(
        rf"\bwhen (?:was|were|is|did) (?:\w+ ){{0,4}}(?:decided|made|taken)\b|\bdate of (?:the )?{_DECISION}\b|\b{_DECISION} date\b",
        rf"\bwhen (?:was|did) (?:the|this|that|it) {_DECISION}\b(?![^?]{{0,30}}\b(?:publi|come|came|take|took|effect|force|implement|call))|\bwhat date (?:was )?(?:the |this |that )?{_DECISION}\b|\bwhen (?:did|was) \w+ decide\b",
    ),
    "published": _any(
        r"\bwhen\b[^?]{0,60}\b(?:publi?sh\w*|publised|pubished|released|uploaded|made public|put online)\b|\bpublicat\w*",
        r"\b(?:was|were|is|are|been|be) (?:\w+ ){0,3}(?:publi?shed|publised)\b|\bpubli?sh(?:ed)? (?:on|date)\b|\bdate (?:of )?publi",
    ),
    "effective": _any(
        r"\beffective (?:from|date|on|when)\b|^effective\s*\??$|\bwhen (?:is|was|does|did|will) (?:\w+ ){0,4}effective\b|\bwhen effective\b",
        r"\b(?:take|took|takes|taking) [ae]f+ect\b|\bcome?s? into (?:force|effect)\b|\bcame into (?:force|effect)\b|\bin force\b",
        r"\bwhen (?:can|could|will|does|did|is|was) (?:\w+ ){0,5}(?:be implemented|implemented|go ahead|apply|be actioned)\b|\bimplementation date\b|\bgo(?:es)? live\b",
    ),
    "call_in": _any(
        r"\bcall(?:ed|ing)?[- ]?ins?\b|\bcalll?ed in\b|\bcal+ed[- ]?in\b|\bsubject to call\b|\burgency\b",
        rf"\bchallenge(?:d)? (?:the |this |that |a )?{_DECISION}\b|\bcan (?:it|the {_DECISION}|this|we) be challenged\b",
    ),
    "key_decision": _any(rf"\bkey[- ]?{_DECISION}s?\b|\bkey dec\b|\bforward plan\b|\bkey\s*\?"),
    "public_questions": _any(
        r"\bpublic (?:questions?|question time|speaking|speakers?|participation|forum|statements?)\b|\bpetit?i?ons?\b|\bdeput(?:a|e)?t?i?ons?\b",
        r"\bquestions? (?:from|by|asked by|from members of) (?:the )?(?:public|residents?)\b|\bmembers? of the public\b|\bquestions from the floor\b",
        r"\bdid (?:anyone|any residents?|the public|any members of the public) (?:speak|ask|address)\b",
    ),
    "next_meeting": _any(
        r"\bne?xt (?:\w+ )?(?:meeting|meet|session|one)\b|\bwhen (?:do|does|will|is) (?:\w+ ){0,4}(?:meet|meeting) (?:next|again)\b",
        r"\bmeet(?:s|ing)? again\b|\bwhen(?:'s| is| will be)? (?:the )?ne?xt (?!(?:\w+ ){0,2}(?:phase|stage|steps?|update|report|review|inspection|visit|round|deadline|payment)\b)(?:\w+ ){0,2}\w+\s*\??\s*$|\b(?:future|upcoming) meetings?\b|\bwhen (?:do|does|will) (?:\w+ ){0,3}next meet\b",
    ),
}

#: The words a question uses to ask for each fact kind: they ask, they are not its topic.
FACT_WORDS: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in {
    "call_in": "subject call called callin call-in", "effective": "effect effective force",
    "published": "published publication publish", "decision_maker": "decision maker made took",
    "decision_date": "decision date", "key_decision": "key decision",
    "venue": "venue room where", "chair": "chair chaired chairman chairwoman chairperson vice elected elect election appointed appoint appointment",
    "apologies": "apologies apology apologys apols absent absence send", "present": "present attended attendance",
    "declaration": "declared declare declaration declarations interest interests dpi dpis",
    "vote": "vote voted votes voting unanimous unanimously carried recorded", "substitute": "substitute substituted substitutes sub subbed",
    "moved_seconded": "moved seconded proposed proposer seconder", "late_or_left": "late left arrived leave join joined arrive", "membership": "welcomed welcome leaving joining outgoing new",
    "minutes_approved": "approved signed correct record accurate confirmed", "time": "time start starts started",
    "urgent_business": "urgent business", "exclusion": "excluded exclusion exclude exempt private treated paragraph paragraphs applied press public reason reasons grounds", "next_meeting": "next",
    "public_questions": "questions question petition petitions deputation deputations", "contact": "contact",
}.items()}  # fmt: skip

_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f]+")
#: Table cells and bullets start a fresh line; so does an item number ("58.", "(a)") at the start of one.
_BREAKS = re.compile(r"\s*[|·•▪●]\s*")
_LABEL = re.compile(r"^(?:\(?\d{1,3}[a-z]?[.)]|\([a-z]{1,3}\)|[a-z]\))\s+", re.M)


def _prepare(text: str) -> str:
    folded = fold(text).translate(_DASHES)
    folded = _BREAKS.sub("\n", folded)
    lines = (clean_title(_SPACE.sub(" ", line)) for line in folded.splitlines())
    return _LABEL.sub("", "\n".join(line for line in lines if line))


def _kinds(text: str, table: dict[str, re.Pattern[str]]) -> frozenset[str]:
    prepared = _prepare(text)
    return frozenset(kind for kind, pattern in table.items() if pattern.search(prepared))


def fact_kinds(text: str) -> frozenset[str]:
    """The fact kinds a passage or line of minutes states (empty when it states none)."""
    return _kinds(text, _STATES)


def wanted_kinds(question: str) -> frozenset[str]:
    """The fact kinds a member's question asks for (empty for a question about a topic only)."""
    return _kinds(question, _ASKS)


def describe(kind: str) -> str:
    """A few words naming a fact kind, for an answer's heading."""
    try:
        return _DESCRIPTIONS[kind]
    except KeyError:
        raise ValueError(f"unknown fact kind: {kind!r}") from None
