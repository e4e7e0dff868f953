# Writes every word form of pymorphy3-dicts-uk (GPL-3.0), one per line, as "form<TAB>codes", sorted by form: N first
# name, S surname, P patronymic, A abbreviation, C an ordinary word (a form with no name tag), then its parts of
# speech: n noun, a adjective, v verb, g adverbial participle, d adverb, p preposition, c conjunction, r particle,
# m numeral, o pronoun. Run by `cargo xtask train-ner-uk` in a throwaway venv; dossier never runs Python.
import sys

import pymorphy3

CLASSES = (("Name", "N"), ("Surn", "S"), ("Patr", "P"), ("Abbr", "A"))
PARTS_OF_SPEECH = {"NOUN": "n", "ADJF": "a", "VERB": "v", "GRND": "g", "ADVB": "d", "PREP": "p", "CONJ": "c",
                   "PRCL": "r", "NUMR": "m", "NPRO": "o"}
ORDER = "NSPACnavgdpcrmo"


def main(out_path):
    morph = pymorphy3.MorphAnalyzer(lang="uk")
    forms = {}
    for word, tag, _normal, _para, _idx in morph.dictionary.iter_known_words():
        codes = "".join(code for grammeme, code in CLASSES if grammeme in tag.grammemes) or "C"
        codes += PARTS_OF_SPEECH.get(str(tag.POS), "")
        forms[word] = forms.get(word, "") + codes
    with open(out_path, "w", encoding="utf-8") as out:
        for word in sorted(forms):
            out.write(word + "\t" + "".join(code for code in ORDER if code in forms[word]) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
