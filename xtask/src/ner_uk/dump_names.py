# Writes the word forms of pymorphy3-dicts-uk (GPL-3.0) that can be names, one per line, as
# "form<TAB>classes", sorted by form: N first name, S surname, P patronymic, A abbreviation, C also an ordinary word.
# Run by `cargo xtask train-ner-uk` in a throwaway venv; dossier never runs Python.
import sys

import pymorphy3

CLASSES = (("Name", "N"), ("Surn", "S"), ("Patr", "P"), ("Abbr", "A"))

def main(out_path):
    morph = pymorphy3.MorphAnalyzer(lang="uk")
    names = {}
    common = set()
    for word, tag, _normal, _para, _idx in morph.dictionary.iter_known_words():
        classes = "".join(code for grammeme, code in CLASSES if grammeme in tag.grammemes)
        if classes:
            names[word] = names.get(word, "") + classes
        else:
            common.add(word)
    with open(out_path, "w", encoding="utf-8") as out:
        for word in sorted(names):
            classes = "".join(code for _, code in CLASSES if code in names[word])
            if word in common:
                classes += "C"
            out.write(f"{word}\t{classes}\n")

if __name__ == "__main__":
    main(sys.argv[1])
