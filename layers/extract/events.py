"""What happens in a sentence: event words -> ACLED event type and sub-event type.

General English verbs and nouns of conflict reporting (clash, attack, seize, withdraw,
execute, kidnap, arrest, pledge allegiance, release, swap ...) with ACLED's categories.
Verbs count when reported as done (past, perfect, participle); infinitives after
"wants to", modal verbs, negations and futures do not. Nouns ("clashes", "the battle")
count only with a date, a death toll or a verb of occurrence around them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

BATTLES = "Battles"
EXPLOSIONS = "Explosions/Remote violence"
VAC = "Violence against civilians"
STRATEGIC = "Strategic developments"


@dataclass(frozen=True)
class Trigger:
    """One event word found in a sentence."""

    event_type: str
    sub_event_type: str
    start: int
    end: int
    word: str
    strength: float
    noun: bool = False
    passive: bool = False
    movement: bool = False
    reference: bool = False   # "during the clashes": a noun naming an event told elsewhere


# (pattern, type, sub-type, strength, is_noun, tag)
_T = [
    (r"kidnapped|kidnapping|abducted|taken\s+hostage|took\s+(?:[\w-]+\s+){0,4}hostage|"
     r"held\s+hostage|holding\s+(?:[\w-]+\s+){0,3}hostage", VAC, "Abduction/forced disappearance",
     0.65, False, ""),
    # Battles: territory changing hands
    (r"(?:took|taken|take|taking|takes|gained|gain|gaining|regained|regaining|regain|seized|"
     r"wrested|wrest|won|retook|retaken|recaptured|restored)\s+(?:back\s+)?(?:full\s+|total\s+)?"
     r"control\s+(?:over|of)", BATTLES, "Non-state actor overtakes territory", 0.75, False, "territory"),
    (r"(?:was|were)\s+able\s+to\s+control|took\s+over|taken\s+over|taking\s+over|overr?an|overrun|"
     r"seized|seizing|captured|capturing|stormed|storming|occupied|expelled|drove\s+out|driven\s+out|"
     r"recaptured|retook|overpowered|capture\s+of|wrested\s+control", BATTLES, "Non-state actor overtakes territory", 0.7, False,
     "territory"),
    (r"(?P<v>drove|driven|driving|ousted|evicted|chased|routed|flushed)\s+(?:[\w'-]+\s+){0,5}?"
     r"(?:out\s+of|out|from)", BATTLES, "Non-state actor overtakes territory", 0.7, False, "territory"),
    (r"(?:broke|broken|breaking|break|lifted|lifting|ended|ending)\s+(?:the|a|an|its|their)\s+"
     r"(?:[\w-]+\s+){0,2}?siege", BATTLES, "Non-state actor overtakes territory", 0.7, False, "territory"),
    (r"(?:war)?planes|jets|aircraft|helicopters|gunships|drones|air\s+force",
     EXPLOSIONS, "Air/drone strike", 0.65, False, "aerial"),
    (r"pounded|pounding|bombarded|bombarding|shelled|shelling",
     EXPLOSIONS, "Shelling/artillery/missile attack", 0.6, False, "strike"),
    # Battles: fighting
    (r"clashed|clashing|fought|attacked|attacking|assaulted|ambushed|counterattacked|"
     r"counter-attacked|besieged|besieging|raided|engaged|battled|repelled|blocked\s+the\s+attack|"
     r"blocking\s+the\s+attack|(?:launched|opened|began|started|mounted|waged)\s+(?:a|an|the|its|their|his)\s+(?:[\w-]+\s+){0,3}?"
     r"(?:attack|offensive|assault|campaign|operation|push|incursion)",
     BATTLES, "Armed clash", 0.65, False, ""),
    (r"under\s+siege", BATTLES, "Armed clash", 0.55, False, ""),
    (r"clash(?:es)?|fighting|battles?|offensive|counteroffensive|counter-offensive|counterattack|"
     r"counter-attack|assaults?|attacks?|skirmish(?:es)?|firefights?|confrontations?|siege|battlefields?|"
     r"(?:military\s+|ground\s+)?campaign|(?:military|ground)\s+operation|incursion",
     BATTLES, "Armed clash", 0.45, True, ""),
    # Explosions / remote violence
    (r"suicide\s+(?:car\s+)?bomb(?:ing|ings|er|ers|s)?|suicide\s+attacks?", EXPLOSIONS,
     "Suicide bomb", 0.7, True, ""),
    (r"car\s+bomb(?:ing|ings|s)?|roadside\s+bombs?|IEDs?|improvised\s+explosive|explosive\s+device|"
     r"landmines?|bomb(?:ed|ing)\b", EXPLOSIONS, "Remote explosive/landmine/IED", 0.65, False, ""),
    (r"air\s*strikes?|air\s+raids?|warplanes\s+(?:struck|bombed|hit|targeted)|barrel\s+bombs?|"
     r"air\s+attacks?", EXPLOSIONS, "Air/drone strike", 0.6, True, ""),
    (r"artillery|mortars?|rockets?\s+(?:fire|attack)|missiles?\s+(?:strike|attack)",
     EXPLOSIONS, "Shelling/artillery/missile attack", 0.6, True, ""),
    # destruction of property (a bridge blown up, a building demolished)
    (r"blew\s+(?:it|them|\w+)?\s*up|blown\s+up|blowing\s+up|blew\s+up|destroyed|demolished|"
     r"dynamited|torched|burned\s+down", STRATEGIC, "Looting/property destruction", 0.6, False, ""),
    # violence against civilians
    (r"executed|executing|beheaded|beheading|massacred|assassinated|crucified|"
     r"stoned\s+to\s+death", VAC, "Attack", 0.7, False, ""),
    (r"executions?|beheadings|massacres?|assassinations?", VAC, "Attack", 0.5, True, ""),
    # strategic developments
    (r"arrested|arresting|detained|detaining|apprehended|rounded\s+up|incarcerated|captured|"
     r"(?:able|managed|forced)\s+to\s+(?:arrest|capture|detain)",
     STRATEGIC, "Arrests", 0.6, False, "arrest"),
    (r"arrests?|capture|incarceration|detention|abduction", STRATEGIC, "Arrests", 0.5, True, "arrest"),
    (r"pledges?\s+of\s+allegiance", STRATEGIC, "Change to group/activity", 0.5, True, ""),
    (r"pledged\s+allegiance|pledge\s+allegiance|pledging\s+allegiance|"
     r"swore\s+allegiance|sworn\s+allegiance|swear\s+(?:their\s+|its\s+)?allegiance|defected|"
     r"aligned\s+(?:himself|itself|themselves)?\s*with|joined\s+the\s+ranks|merged\s+with",
     STRATEGIC, "Change to group/activity", 0.6, False, ""),
    (r"agreed\s+to|released|releasing|freed|handed\s+over|surrendered|swapped|brokered|"
     r"(?:able|managed|forced|agreed)\s+to\s+(?:release|free|hand\s+over|swap)",
     STRATEGIC, "Agreement", 0.55, False, ""),
    (r"swap|prisoner\s+exchange|exchange\s+of\s+prisoners|truce|ceasefire|cease-fire|deal|"
     r"agreement|release|surrender", STRATEGIC, "Agreement", 0.5, True, ""),
    (r"withdrew|withdrawn|withdrawing|(?:forced|decided|had)\s+to\s+withdraw|retreated|retreating|pulled\s+out|"
     r"evacuated|abandoned", STRATEGIC, "Non-violent transfer of territory", 0.55, False, "movement"),
    (r"withdrawal|retreat|pullout|evacuation", STRATEGIC, "Non-violent transfer of territory", 0.45,
     True, "movement"),
    (r"regroup(?:ed)?\s+in|established\s+(?:a\s+)?(?:new\s+)?(?:base|headquarters)|"
     r"set\s+up\s+(?:a\s+)?(?:new\s+)?(?:base|headquarters)", STRATEGIC,
     "Headquarters or base established", 0.55, False, "movement"),
    # killings on their own: typed from the victims
    (r"killed|killing|dead|died", BATTLES, "Armed clash", 0.4, False, "kill"),
]
_TRIGGERS = [(re.compile(rf"(?<![\w-])(?:{p})(?![\w-])", re.IGNORECASE), t, s, w, n, tag)
             for p, t, s, w, n, tag in _T]

_HYPOTHETICAL = re.compile(
    r"(?:\b(?:will|would|could|might|may|should|must|shall|can|cannot|won't|wouldn't|"
    r"to|if|unless|whether|not|never|no\s+longer|n't|without|avoided|avoiding|avoid|refrained\s+from|"
    r"ruled\s+out|prevented|preventing|denied|denying|threatened|threatening|plans?|planning|"
    r"preparing\s+for|calls?\s+for|called\s+for)\s+(?:\w+\s+){0,2}$)", re.IGNORECASE)
_FACTUAL_TO = re.compile(
    r"\b(?:began|begun|started|continued|managed|forced|able|succeeded|went\s+on|used|"
    r"has\s+had|have\s+had|had|agreed|decided|tried\s+and\s+failed)\s+to\s+(?:\w+\s+){0,1}$",
    re.IGNORECASE)
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are|be|got)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_OCCURRENCE = re.compile(
    r"\b(?:took\s+place|erupted|broke\s+out|resumed|renewed|continued|raged|escalated|left|"
    r"claimed|killed|sparking|sparked|launched|fierce|heavy|intense|clashed|fought|during|"
    r"expanded|fierce)\b", re.IGNORECASE)
_CIVILIAN = re.compile(r"\b(?:civilians?|people|residents|villagers|women|children|family|families|"
                       r"worshippers|journalists?|activists?|detainees|prisoners?|captives?|hostages?|"
                       r"officer|soldiers?|servicemen)\b", re.IGNORECASE)
_PERSON_OBJECT = re.compile(r"^\s+(?:\w+\s+){0,6}?(?:commander|leader|emirs?|officers?|soldiers|"
                            r"servicemen|fighters|militants|members|men|people|civilians|him|her|them|"
                            r"family|wife|daughter|son|brother|prisoners?|detainees?|journalists?|"
                            r"[A-Z][a-z]+\s+(?:al-)?[A-Z][\w']+)\b")
_TERRITORY_OBJECT = re.compile(r"^[^.;]{0,45}?\b(?:positions?|posts?|bases?|camps?|towns?|"
                               r"villages?|city|areas?|hills?|hilltops?|heights|ridges?|fields?|headquarters|"
                               r"checkpoints?|bridge|crossings?|territory|neighbou?rhoods?|points?|"
                               r"districts?|quarters?|suburbs?|airport|air\s*base|road|highway|"
                               r"dam|valley|ground|enclave|pocket|strongholds?)\b", re.IGNORECASE)


_CLAUSE_START = re.compile(r"[,;:\u2014()]|\b(?:that|but|after|before|when|while|as|since|"
                           r"because|although|though|which|who)\b", re.IGNORECASE)
_MODAL = re.compile(r"\b(?:will|would|could|might|may|should|must|shall|cannot|won't|"
                    r"wouldn't|couldn't|going\s+to)\b", re.IGNORECASE)


_UNDONE_AFTER = re.compile(r"[^.;,]{0,25}?\b(?:(?:may|might|could)\s+have\s+)?(?:failed|collapsed|"
                           r"did\s+not|didn't|never|fell\s+through)\b", re.IGNORECASE)
_TERRITORY_SUBJECT = re.compile(r"\b(?:positions?|posts?|bases?|camps?|towns?|villages?|city|"
                                r"areas?|hills?|fields?|headquarters|checkpoints?|bridge|crossings?|"
                                r"territory)\b[^.;]*$", re.IGNORECASE)


#: After an aircraft word, the verb of a strike ("warplanes pounded", "jets also struck").
_AERIAL_VERB = re.compile(r"(?:\s+(?:have|had|also|reportedly|then|again|on\s+\w+day)){0,2}\s+"
                          r"(?P<v>struck|bombed|hit|targeted|pounded|raided|shelled|attacked|"
                          r"bombarded|carried\s+out|launched|dropped|fired)\b", re.IGNORECASE)
_AIR_WORDS = re.compile(r"\b(?:air|aerial|warplanes?|planes?|jets?|aircraft|helicopters?|drones?|"
                        r"barrel\s+bombs?|air\s*strikes?|sorties)\b", re.IGNORECASE)
#: "during the clashes", "after the battle": a noun that refers back to an event.
_REFERENCE = re.compile(r"\b(?:during|amid|throughout)\s+"
                        r"(?:the|these|those|this|that)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)


#: "whom it had captured", "which they had seized": a past-perfect relative clause tells
#: background, not the sentence's event.
_BACKGROUND = re.compile(r"\b(?:which|whom|who|that|after|since|once|because|when)\s+(?:[\w-]+\s+){0,2}?had\s+(?:\w+ly\s+)?"
                         r"(?:been\s+)?$", re.IGNORECASE)


def _realis(text: str, start: int) -> bool:
    """False when the word at `start` is hypothetical, negated, or an infinitive of intent
    (including a modal verb earlier in the same clause: "would hand over ... and release")."""
    before = text[max(0, start - 40):start]
    if _HYPOTHETICAL.search(before) and not _FACTUAL_TO.search(before):
        return False
    clause = text[max(0, start - 300):start]
    cuts = list(_CLAUSE_START.finditer(clause))
    clause = clause[cuts[-1].end():] if cuts else clause
    return not _MODAL.search(clause)


def find_triggers(text: str) -> list[Trigger]:
    """Every realised event word of a sentence, typed, without overlaps (earliest rule wins)."""
    taken: list[tuple[int, int]] = []
    out: list[Trigger] = []
    for pattern, etype, sub, strength, noun, tag in _TRIGGERS:
        for m in pattern.finditer(text):
            s, e = m.span("v") if "v" in pattern.groupindex and m.group("v") else m.span()
            if tag == "aerial":
                verb = _AERIAL_VERB.match(text, e)
                if not verb:
                    continue
                s, e = verb.start("v"), verb.end("v")
            if any(s < te and ts < e for ts, te in taken):
                continue
            word = m.group(0)
            passive = bool(_PASSIVE_BEFORE.search(text[max(0, s - 25):s]))
            if not _realis(text, s) or _UNDONE_AFTER.match(text, e):
                taken.append((s, e))
                continue
            et, st = etype, sub
            after = text[e:e + 80]
            if tag == "territory" and word.lower().startswith("captur"):
                if passive and not _TERRITORY_SUBJECT.search(text[max(0, s - 40):s]):
                    continue   # "Jum'a was captured": a person, typed by the arrest rule
                if _PERSON_OBJECT.match(after) and not _TERRITORY_OBJECT.match(after):
                    continue   # capturing people: the arrest rule below types it
            if tag == "arrest" and word.lower().startswith("captur"):
                if _TERRITORY_OBJECT.match(after) and not passive:
                    continue
            if tag == "kill":
                window = text[max(0, s - 60):e + 60]
                if _CIVILIAN.search(window) and not re.search(r"militants|fighters|gunmen|members",
                                                              window, re.IGNORECASE):
                    et, st = VAC, "Attack"
            if tag == "strike" and _AIR_WORDS.search(text):
                et, st = EXPLOSIONS, "Air/drone strike"
            if noun and not _OCCURRENCE.search(text):
                strength -= 0.1
            reference = (noun and bool(_REFERENCE.search(text[max(0, s - 30):s]))) or \
                bool(_BACKGROUND.search(text[max(0, s - 40):s]))
            taken.append((s, e))
            out.append(Trigger(et, st, s, e, text[s:e], strength, noun, passive, tag == "movement",
                               reference))
    return sorted(out, key=lambda t: t.start)
