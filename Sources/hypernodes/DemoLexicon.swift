/// The words the demo's synthetic documents are made of.
///
/// Six topics with their own vocabulary, words shared by every topic, stop
/// words that tokenization removes again, and syllables for invented place
/// names, which make the vocabulary grow with the size of the corpus.
enum DemoLexicon {
    /// The topics, in a fixed order, with their characteristic words (most frequent first).
    static let topics: [(name: String, words: [String])] = [
        (
            "astronomy",
            [
                "telescope", "orbit", "comet", "galaxy", "planet", "nebula", "asteroid", "eclipse",
                "spectrum", "pulsar", "meteor", "crater", "satellite", "redshift", "quasar", "stellar",
                "lunar", "observatory", "supernova", "cosmic",
            ]
        ),
        (
            "cooking",
            [
                "recipe", "garlic", "simmer", "pastry", "butter", "oven", "dough", "saffron", "braise",
                "caramel", "skillet", "marinade", "basil", "roast", "broth", "knead", "spice", "vinegar",
                "ginger", "crust",
            ]
        ),
        (
            "finance",
            [
                "market", "equity", "bond", "dividend", "inflation", "portfolio", "ledger", "credit",
                "yield", "hedge", "audit", "revenue", "budget", "interest", "liquidity", "merger",
                "valuation", "currency", "tariff", "asset",
            ]
        ),
        (
            "genetics",
            [
                "genome", "protein", "allele", "mutation", "enzyme", "chromosome", "sequence", "cell",
                "helix", "ribosome", "codon", "phenotype", "lineage", "variant", "plasmid", "receptor",
                "mitosis", "trait", "molecule", "expression",
            ]
        ),
        (
            "music",
            [
                "melody", "chord", "rhythm", "tempo", "violin", "harmony", "sonata", "octave", "chorus",
                "ballad", "cadence", "lyric", "symphony", "drum", "guitar", "piano", "rehearsal", "anthem",
                "opera", "timbre",
            ]
        ),
        (
            "sailing",
            [
                "harbor", "mast", "anchor", "keel", "tide", "regatta", "rudder", "voyage", "compass",
                "hull", "galley", "starboard", "current", "breeze", "dinghy", "buoy", "coastline",
                "rigging", "lighthouse", "knot",
            ]
        ),
    ]

    /// Words that appear in documents of every topic.
    static let general = [
        "report", "study", "team", "season", "method", "result", "early", "local", "recent", "review",
        "process", "project", "history", "detail", "energy", "design", "system", "practice", "record",
        "journey", "question", "evening", "course", "change",
    ]

    /// Frequent words without meaning of their own; tokenization drops them.
    static let stopWords = [
        "the", "a", "of", "and", "to", "in", "is", "that", "for", "on", "with", "as", "was", "by", "it",
        "from", "at", "this", "be", "are", "an", "or", "its", "which", "their", "has", "were",
    ]

    /// Syllables of invented place names.
    static let syllables = [
        "ka", "lo", "mi", "ren", "tas", "vor", "el", "dun", "sa", "qui", "bel", "ora", "th", "ix", "ma",
        "no",
    ]

    /// `stopWords` as a set, for tokenization.
    static let stopWordSet = Set(stopWords)
}
