/// The words of the digest in its reader's language (`digest.language`: es, it or en).
public struct DigestLabels: Sendable, Hashable {
    public var code: String
    var title: String
    var competitor: String
    var mentions: String
    var positive: String
    var neutral: String
    var negative: String
    var vsPrevious: String
    var vsLastWeek: String
    var new: String
    var netSentiment: String
    var shareOfVoice: String
    var last30Days: String
    var all: String
    var complaintsHeading: String
    var complaints: String
    var topNegative: String
    var topPositive: String
    var languages: String
    var unknownLanguage: String
    var alertsHeading: String
    var feedHealthHeading: String
    var feedsOK: String
    var failingSince: String
    var noMentions: String
    var footer: String
    var chartLabel: String
    var subject: String
    var readMore: String
    var engagement: String
    var maximum: String
    var overview: String
    var brand: String

    /// The labels for `code`; English for anything else.
    public static func forLanguage(_ code: String) -> DigestLabels {
        switch code.lowercased() {
        case "es": spanish
        case "it": italian
        default: english
        }
    }

    public static let english = DigestLabels(
        code: "en", title: "Vigía digest", competitor: "competitor", mentions: "Mentions", positive: "positive",
        neutral: "neutral", negative: "negative", vsPrevious: "vs the previous period", vsLastWeek: "vs a week ago",
        new: "new", netSentiment: "Net Sentiment Score", shareOfVoice: "share of voice", last30Days: "Last 30 days",
        all: "all", complaintsHeading: "What people complain about", complaints: "complaints",
        topNegative: "Top negative", topPositive: "Top positive", languages: "Languages", unknownLanguage: "unknown",
        alertsHeading: "Alerts", feedHealthHeading: "Feed health", feedsOK: "feeds working",
        failingSince: "failing since", noMentions: "No mentions in this period.",
        footer: "Sent by Vigía, self-hosted social listening.",
        chartLabel: "Mentions per day over the last 30 days, negative ones in red",
        subject: "Vigía digest", readMore: "Read the digest", engagement: "engagement", maximum: "max",
        overview: "At a glance", brand: "Brand")

    public static let spanish = DigestLabels(
        code: "es", title: "Resumen de Vigía", competitor: "competidor", mentions: "Menciones", positive: "positivas",
        neutral: "neutras", negative: "negativas", vsPrevious: "frente al periodo anterior",
        vsLastWeek: "frente a hace una semana", new: "nuevo", netSentiment: "Índice de sentimiento neto",
        shareOfVoice: "cuota de voz", last30Days: "Últimos 30 días", all: "todas",
        complaintsHeading: "De qué se queja la gente", complaints: "quejas", topNegative: "Más negativas",
        topPositive: "Más positivas", languages: "Idiomas", unknownLanguage: "desconocido", alertsHeading: "Alertas",
        feedHealthHeading: "Estado de las fuentes", feedsOK: "fuentes funcionando", failingSince: "falla desde",
        noMentions: "Sin menciones en este periodo.", footer: "Enviado por Vigía, escucha social autoalojada.",
        chartLabel: "Menciones por día en los últimos 30 días, las negativas en rojo",
        subject: "Resumen de Vigía", readMore: "Leer el resumen", engagement: "interacción", maximum: "máx.",
        overview: "De un vistazo", brand: "Marca")

    public static let italian = DigestLabels(
        code: "it", title: "Riepilogo di Vigía", competitor: "concorrente", mentions: "Menzioni", positive: "positive",
        neutral: "neutre", negative: "negative", vsPrevious: "rispetto al periodo precedente",
        vsLastWeek: "rispetto a una settimana fa", new: "nuovo", netSentiment: "Indice di sentiment netto",
        shareOfVoice: "quota di voce", last30Days: "Ultimi 30 giorni", all: "tutte",
        complaintsHeading: "Di cosa si lamentano", complaints: "lamentele", topNegative: "Le più negative",
        topPositive: "Le più positive", languages: "Lingue", unknownLanguage: "sconosciuta", alertsHeading: "Allerte",
        feedHealthHeading: "Stato delle fonti", feedsOK: "fonti funzionanti", failingSince: "in errore da",
        noMentions: "Nessuna menzione in questo periodo.", footer: "Inviato da Vigía, ascolto social self-hosted.",
        chartLabel: "Menzioni al giorno negli ultimi 30 giorni, in rosso quelle negative",
        subject: "Riepilogo di Vigía", readMore: "Leggi il riepilogo", engagement: "interazioni", maximum: "max",
        overview: "In sintesi", brand: "Marchio")
}
