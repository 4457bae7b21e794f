#!/usr/bin/env python3
"""Generates the digest benchmark's entries: N synthetic posts (default 1,000,000) in Spanish,
Italian and English as JSON Lines for `vigia import --format jsonl`, spread over the DAYS days
(default 60) that end now, so that every window of the digest holds data: the last 24 hours, the
previous 24 hours, the same day last week and the 30 days of the daily chart.

Shape of the corpus:
  - 20 invented brands (BRANDS below), each with a home language and a trade (airline, bank,
    courier, app…); its volume follows a long tail, so share of voice differs from brand to brand;
  - about 84% of the entries mention one brand, 9% two (comparisons, switching from one to the
    other), 7% none; most are written in the brand's home language, the rest in the other two;
  - positive, negative and neutral sentences built from small per-language word lists, with
    complaint themes (refunds, delays, crashes, customer service, billing, lost parcels) and praise
    themes (speed, friendly staff, quality, price), padded with everyday filler;
  - a daily rhythm (quiet nights) and a weekly one (quieter weekends), a slow growth over the days;
  - one spike: the SPIKE_BRAND (Vuelalto) gets a burst of negative mentions about cancelled and
    delayed flights in the last 24 hours (0.25% of N, between 9 and 3 hours ago), so that the digest
    has an alert-worthy change, new complaint terms and negative top mentions to show;
  - a place and a time in most posts (two people's short posts rarely match word for word, and
    the store takes equal texts of 8 words or more for one syndicated text); authors, links (some
    with tracking parameters), a title on about 12% of the entries, a declared language on about
    half of them (the rest go through language identification), engagement numbers (`score`,
    read with `--map engagement=score`, and `replies`),
    and 1% syndicated copies of a recent entry under another link.

Every sentence is generated here from vocabularies written for Vigía's benchmarks; nothing is
copied from a dataset. Deterministic for a given (N, DAYS, SEED, NOW).

usage: make_entries.py OUT.jsonl [--entries N] [--days D] [--seed S] [--now EPOCH]
prints one line: entries written, spike entries, copies, first and last timestamps.
"""
import argparse
import json
import math
import random
import sys
import time

# name, home language, trade
BRANDS = [
    ("Vuelalto", "es", "airline"),
    ("Pastaria", "it", "food"),
    ("Zapply", "en", "app"),
    ("Movilia", "es", "telecom"),
    ("Bancolmo", "es", "bank"),
    ("Trenvía", "es", "rail"),
    ("Casa Brisa", "es", "hotel"),
    ("Farmalista", "es", "shop"),
    ("Orbita Seguros", "es", "insurance"),
    ("Luce Ora", "it", "energy"),
    ("Scarpetti", "it", "shop"),
    ("Velocarta", "it", "courier"),
    ("Banca Nuvola", "it", "bank"),
    ("Gustobox", "it", "food"),
    ("Fibralink", "en", "telecom"),
    ("Parcelio", "en", "courier"),
    ("Brightcart", "en", "shop"),
    ("Nestwise", "en", "app"),
    ("Ridely", "en", "app"),
    ("Kettlebird", "en", "food"),
]
COMPETITORS = ["Fibralink", "Brightcart", "Kettlebird"]
SPIKE_BRAND = "Vuelalto"
LANGUAGES = ["es", "it", "en"]

# Per language: the trade's object (what one buys), then sentence parts. {b} is the brand,
# {o} the trade's object with its article ({O} capitalised), {n} a number.
OBJECTS = {  # with the definite article; de/di + article contract after formatting (see fill)
    "es": {"airline": ["el vuelo", "el billete", "el equipaje"], "food": ["el pedido", "el menú", "el reparto"],
           "app": ["la app", "la actualización", "la cuenta"], "telecom": ["la fibra", "la línea", "la factura"],
           "bank": ["la tarjeta", "la cuenta", "la transferencia"], "rail": ["el tren", "el billete", "el abono"],
           "hotel": ["la habitación", "la reserva", "el desayuno"], "shop": ["el pedido", "el envío", "la devolución"],
           "insurance": ["la póliza", "el siniestro", "el seguro"], "energy": ["la factura", "el contrato", "la lectura"],
           "courier": ["el paquete", "el envío", "la entrega"]},
    "it": {"airline": ["il volo", "il biglietto", "il bagaglio"], "food": ["l'ordine", "il menù", "la consegna"],
           "app": ["l'app", "l'aggiornamento", "l'account"], "telecom": ["la fibra", "la linea", "la bolletta"],
           "bank": ["la carta", "il conto", "il bonifico"], "rail": ["il treno", "il biglietto", "l'abbonamento"],
           "hotel": ["la camera", "la prenotazione", "la colazione"], "shop": ["l'ordine", "la spedizione", "il reso"],
           "insurance": ["la polizza", "il sinistro", "l'assicurazione"], "energy": ["la bolletta", "il contratto", "la lettura"],
           "courier": ["il pacco", "la spedizione", "la consegna"]},
    "en": {"airline": ["the flight", "the ticket", "the luggage"], "food": ["the order", "the menu", "the delivery"],
           "app": ["the app", "the update", "the account"], "telecom": ["the broadband", "the line", "the bill"],
           "bank": ["the card", "the account", "the transfer"], "rail": ["the train", "the ticket", "the season pass"],
           "hotel": ["the room", "the booking", "the breakfast"], "shop": ["the order", "the delivery", "the return"],
           "insurance": ["the policy", "the claim", "the cover"], "energy": ["the bill", "the contract", "the meter reading"],
           "courier": ["the parcel", "the delivery", "the drop-off"]},
}
CONTRACTIONS = {
    "es": [(" de el ", " del "), (" a el ", " al "), ("De el ", "Del ")],
    "it": [(" di il ", " del "), (" di la ", " della "), (" di l'", " dell'"), (" da il ", " dal "),
           (" da la ", " dalla "), (" da l'", " dall'"), (" per il ", " per il ")],
    "en": [],
}

NEGATIVE = {  # theme -> clauses
    "es": {
        "reembolso": ["llevo {n} días esperando el reembolso de {b}", "{b} sigue sin devolverme el dinero de {o}",
                      "el reembolso de {b} no llega nunca", "pedí el reembolso a {b} hace {n} semanas y nada"],
        "retraso": ["otra vez retraso con {b}, {n} horas tarde", "{O} de {b} llegó con un retraso horrible",
                    "{b} siempre llega tarde, qué desastre", "{n} horas de retraso y {b} sin dar explicaciones"],
        "app": ["la app de {b} se cuelga cada vez que abro {o}", "la app de {b} no funciona desde ayer",
                "error tras error en la app de {b}", "{b} ha roto la app con la última actualización"],
        "atención": ["la atención al cliente de {b} es pésima", "nadie contesta en {b}, {n} llamadas perdidas",
                     "el chat de {b} es inútil, respuestas automáticas", "trato horrible en {b}, muy maleducados"],
        "cobro": ["{b} me ha cobrado dos veces {o}", "cargo duplicado de {b} y nadie lo arregla",
                  "{b} me cobra {n} euros de más en la factura", "cobros abusivos de {b}, vergonzoso"],
        "pérdida": ["{b} ha perdido {o}", "{O} de {b} llegó en mal estado", "ni rastro de {o}, gracias {b} por nada"],
    },
    "it": {
        "rimborso": ["aspetto il rimborso di {b} da {n} giorni", "{b} non mi restituisce i soldi di {o}",
                     "il rimborso di {b} non arriva mai", "ho chiesto il rimborso a {b} {n} settimane fa, niente"],
        "ritardo": ["ancora ritardo con {b}, {n} ore", "{O} di {b} in ritardo, pessimo",
                    "{b} sempre in ritardo, che disastro", "{n} ore di ritardo e {b} non spiega nulla"],
        "app": ["l'app di {b} si blocca ogni volta che apro {o}", "l'app di {b} non funziona da ieri",
                "errore dopo errore nell'app di {b}", "{b} ha rotto l'app con l'ultimo aggiornamento"],
        "assistenza": ["l'assistenza clienti di {b} è pessima", "nessuno risponde da {b}, {n} chiamate a vuoto",
                       "la chat di {b} è inutile, risposte automatiche", "trattamento orribile da {b}, maleducati"],
        "addebito": ["{b} mi ha addebitato due volte {o}", "doppio addebito di {b} e nessuno risolve",
                     "{b} mi fa pagare {n} euro in più in bolletta", "addebiti assurdi da {b}, vergognoso"],
        "smarrimento": ["{b} ha perso {o}", "{O} di {b}: un disastro all'arrivo", "di {o} nessuna traccia, grazie {b} per niente"],
    },
    "en": {
        "refund": ["still waiting for my refund from {b} after {n} days", "{b} won't give me my money back for {o}",
                   "the {b} refund never arrives", "asked {b} for a refund {n} weeks ago, nothing"],
        "delay": ["another delay with {b}, {n} hours late", "{O} from {b} was badly delayed",
                  "{b} is always late, what a mess", "{n} hours late and {b} says nothing"],
        "crash": ["the {b} app crashes every time I open {o}", "the {b} app has been broken since yesterday",
                  "error after error in the {b} app", "{b} broke the app with the latest update"],
        "support": ["{b} customer service is terrible", "nobody answers at {b}, {n} calls ignored",
                    "the {b} chat is useless, canned answers", "awful treatment at {b}, so rude"],
        "billing": ["{b} charged me twice for {o}", "double charge from {b} and nobody fixes it",
                    "{b} overcharged me {n} pounds on the bill", "outrageous fees from {b}, shameful"],
        "lost": ["{b} lost {o}", "{O} from {b} arrived broken", "{O} gone missing, thanks for nothing {b}"],
    },
}

POSITIVE = {
    "es": ["me encanta {b}, {o} sin ningún fallo", "{b} es genial, todo rápido", "gracias {b}, servicio excelente",
           "{O} de {b} llegó antes de tiempo, muy contento", "atención amable en {b}, problema resuelto en {n} minutos",
           "{b} nunca falla", "recomiendo {b} sin duda", "buen precio y buena calidad en {b}",
           "la nueva app de {b} funciona de maravilla"],
    "it": ["adoro {b}, {o} senza problemi", "{b} è fantastico, tutto veloce", "grazie {b}, servizio ottimo",
           "{O} di {b} in anticipo, contentissimo", "assistenza gentile da {b}, risolto in {n} minuti",
           "{b} non sbaglia mai", "consiglio {b} a tutti", "buon prezzo e ottima qualità da {b}",
           "la nuova app di {b} funziona benissimo"],
    "en": ["I love {b}, {o} was perfect", "{b} is brilliant, everything fast", "thanks {b}, excellent service",
           "{O} from {b} arrived early, really happy", "friendly support at {b}, sorted in {n} minutes",
           "{b} never lets me down", "highly recommend {b}", "great price and great quality at {b}",
           "the new {b} app works beautifully"],
}

NEUTRAL = {
    "es": ["¿alguien sabe a qué hora abre {b}?", "hoy he visto un anuncio de {b}", "{b} abre {n} tiendas nuevas",
           "mañana llamo a {b} por {o}", "{b} cambia las condiciones de {o} a partir del lunes",
           "¿{b} tiene oficina en el centro?", "leyendo las noticias sobre {b}"],
    "it": ["qualcuno sa a che ora apre {b}?", "oggi ho visto la pubblicità di {b}", "{b} apre {n} nuovi negozi",
           "domani chiamo {b} per {o}", "{b} cambia le condizioni di {o} da lunedì",
           "{b} ha un ufficio in centro?", "sto leggendo le notizie su {b}"],
    "en": ["does anyone know when {b} opens?", "saw an ad for {b} today", "{b} is opening {n} new stores",
           "calling {b} tomorrow about {o}", "{b} changes the terms of {o} from Monday",
           "does {b} have an office in town?", "reading the news about {b}"],
}

COMPARE = {  # {a} worse, {b} better
    "es": ["me he pasado de {a} a {b} y mucho mejor", "{a} un desastre, con {b} todo perfecto",
           "comparando {a} y {b}: {b} gana claramente"],
    "it": ["sono passato da {a} a {b}, molto meglio", "{a} un disastro, con {b} tutto perfetto",
           "confronto tra {a} e {b}: vince {b} senza dubbio"],
    "en": ["switched from {a} to {b}, so much better", "{a} was a mess, {b} got it right",
           "comparing {a} and {b}: {b} wins easily"],
}

SPIKE = {  # the airline's bad day
    "es": ["vuelo cancelado otra vez, {b} nos deja tirados en el aeropuerto", "{n} horas en la puerta de embarque, {b} no informa de nada",
           "{b} cancela todos los vuelos de la tarde y no hay reembolso", "colas enormes en el mostrador de {b}, caos total",
           "{b} ha cancelado mi vuelo y el chat no responde"],
    "it": ["volo cancellato di nuovo, {b} ci lascia in aeroporto", "{n} ore al gate, {b} non comunica niente",
           "{b} cancella tutti i voli del pomeriggio e niente rimborso", "code infinite al banco di {b}, caos totale"],
    "en": ["flight cancelled again, {b} left us stranded at the airport", "{n} hours at the gate and {b} tells us nothing",
           "{b} cancelled every afternoon flight and no refund", "huge queues at the {b} desk, total chaos"],
}

FILLER = {
    "es": ["hoy", "ayer por la tarde", "esta semana", "en el barrio", "con la familia", "después del trabajo",
           "antes de la cena", "camino a casa", "en el centro", "por la mañana", "a mediodía", "de noche",
           "con los amigos", "desde la oficina", "el fin de semana", "otra vez"],
    "it": ["oggi", "ieri pomeriggio", "questa settimana", "nel quartiere", "con la famiglia", "dopo il lavoro",
           "prima di cena", "tornando a casa", "in centro", "di mattina", "a pranzo", "di sera",
           "con gli amici", "dall'ufficio", "nel fine settimana", "di nuovo"],
    "en": ["today", "yesterday afternoon", "this week", "in the neighbourhood", "with the family", "after work",
           "before dinner", "on the way home", "downtown", "in the morning", "at lunchtime", "at night",
           "with friends", "from the office", "over the weekend", "again"],
}
EXTRAS = {
    "es": ["Sin palabras.", "Increíble.", "Ya veremos.", "Os mantengo informados.", "¿A alguien más le pasa?",
           "Lo cuento por si sirve.", "En fin.", "Primera vez que escribo aquí."],
    "it": ["Senza parole.", "Incredibile.", "Vedremo.", "Vi aggiorno.", "Succede anche a voi?",
           "Lo scrivo nel caso serva.", "Comunque.", "Prima volta che scrivo qui."],
    "en": ["No words.", "Unbelievable.", "We'll see.", "Will keep you posted.", "Anyone else?",
           "Posting in case it helps.", "Anyway.", "First time posting here."],
}
OFF_TOPIC = {
    "es": ["qué partido el de anoche", "llueve otra vez en la ciudad", "receta de tortilla para el domingo",
           "buscando piso cerca del parque", "el concierto del sábado fue increíble", "atasco en la autovía"],
    "it": ["che partita ieri sera", "piove di nuovo in città", "ricetta della lasagna per domenica",
           "cerco casa vicino al parco", "il concerto di sabato è stato incredibile", "traffico in tangenziale"],
    "en": ["what a match last night", "raining again in town", "roast recipe for Sunday",
           "looking for a flat near the park", "Saturday's gig was amazing", "traffic jam on the ring road"],
}
TITLES = {
    "es": ["Mi experiencia con {b}", "Problema con {b}", "Opinión sobre {b}", "{b}: ¿merece la pena?", "Pregunta sobre {b}"],
    "it": ["La mia esperienza con {b}", "Problema con {b}", "Opinione su {b}", "{b}: ne vale la pena?", "Domanda su {b}"],
    "en": ["My experience with {b}", "Problem with {b}", "Review of {b}", "{b}: worth it?", "Question about {b}"],
}
CITIES = {  # where the poster is, with the time: what makes two people's short posts differ
    "es": ["Madrid", "Sevilla", "Valencia", "Bilbao", "Zaragoza", "Málaga", "Granada", "Vigo", "Oviedo", "Murcia",
           "Alicante", "Salamanca", "Cádiz", "Pamplona", "Palma", "Gijón", "Toledo", "Burgos", "León", "Córdoba"],
    "it": ["Roma", "Milano", "Napoli", "Torino", "Bologna", "Firenze", "Genova", "Bari", "Palermo", "Verona",
           "Padova", "Trieste", "Parma", "Lecce", "Pisa", "Cagliari", "Perugia", "Bergamo", "Modena", "Trento"],
    "en": ["Leeds", "Bristol", "Dublin", "Glasgow", "Cardiff", "Brighton", "York", "Bath", "Oxford", "Norwich",
           "Derby", "Exeter", "Hull", "Belfast", "Leicester", "Reading", "Sheffield", "Chester", "Dundee", "Leeds"],
}
SITES = ["social.example", "forum.example.net", "reviews.example.org", "news.example.com", "blog.example.es",
         "comunita.example.it", "board.example.co.uk"]
HANDLE_PARTS = ["luz", "mar", "sol", "gatto", "nube", "fox", "river", "pino", "kiwi", "rosa", "tom", "ana", "leo",
                "bea", "max", "zoe", "dani", "giulia", "marco", "sam", "eli", "noor", "pablo", "chiara"]


def fill(rng, template, brand, trade, language, other=None):
    obj = rng.choice(OBJECTS[language][trade])
    text = " " + template.format(b=brand, a=other or brand, o=obj, O=capital(obj), n=rng.randint(2, 48))
    for long, short in CONTRACTIONS[language]:
        text = text.replace(long, short)
    return text[1:]


def capital(text):
    if text[:1] in ("¿", "¡"):
        return text[0] + capital(text[1:])
    return text[0].upper() + text[1:] if text else text


def padding(rng, language):
    return " ".join(rng.sample(FILLER[language], rng.choice([1, 1, 2])))


def post(rng, language, clauses):
    """Clauses plus filler, one or two extra sentences, sometimes a hashtag: one post's text."""
    parts = []
    for clause in clauses:
        sentence = capital(clause)
        if sentence[-1] in "?!":
            parts.append(sentence)
            continue
        if rng.random() < 0.5:
            sentence += ", " + padding(rng, language)
        parts.append(sentence + rng.choice([".", ".", ".", "!", "!!"]))
    for _ in range(rng.choice([0, 1, 1, 2])):
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(EXTRAS[language]))
    if rng.random() < 0.2:
        parts.append(capital(rng.choice(OFF_TOPIC[language])) + ".")
    if rng.random() < 0.85:
        parts.append("(%s, %02d:%02d)" % (rng.choice(CITIES[language]), rng.randrange(24), rng.randrange(60)))
    return " ".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--now", type=int, default=int(time.time()))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    now, days, n = args.now, args.days, args.entries
    span = days * 86_400

    spike_count = n * 25 // 10_000
    base_count = n - spike_count
    # Timestamps: uniform over the span, thinned by a growth, a weekly and a daily rhythm
    # (rejection sampling), newest last. The last second is `now - 1`: all of it is in the past.
    def weight(t):
        age_days = (now - t) / 86_400
        growth = 1.0 - 0.3 * age_days / days                 # +30% over the span
        day = time.gmtime(t)
        weekly = 0.75 if day.tm_wday >= 5 else 1.0
        hour = day.tm_hour + day.tm_min / 60
        daily = 0.55 + 0.45 * math.sin(math.pi * max(0.0, min(1.0, (hour - 6) / 18)))  # quiet nights
        return growth * weekly * daily
    stamps = []
    while len(stamps) < base_count:
        t = now - 1 - rng.random() * span
        if rng.random() < weight(t):
            stamps.append(int(t))
    spike_start, spike_end = now - 9 * 3600, now - 3 * 3600
    spike_set = [int(spike_start + (spike_end - spike_start) * rng.betavariate(2, 2)) for _ in range(spike_count)]
    tagged = [(t, False) for t in stamps] + [(t, True) for t in spike_set]
    tagged.sort()

    # Brand volumes: a long tail (the first brands loudest), shuffled a little so that home
    # languages mix along it.
    brand_weights = [1.0 / (1 + 0.25 * i) for i in range(len(BRANDS))]
    spike_brand = next(b for b in BRANDS if b[0] == SPIKE_BRAND)
    recent = []
    copies = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for index, (t, spiking) in enumerate(tagged):
            if recent and not spiking and rng.random() < 0.01:
                original = rng.choice(recent)
                copy = dict(original, id="d%07d" % index, link="https://mirror.example.net/r/%d" % index,
                            published=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(min(now - 1, t + rng.randint(60, 7200)))),
                            source="mirror.example.net")
                out.write(json.dumps(copy, ensure_ascii=False) + "\n")
                copies += 1
                continue
            roll = rng.random()
            title = None
            if spiking:
                brand, home, trade = spike_brand
                language = home if rng.random() < 0.7 else rng.choice(LANGUAGES)
                clauses = [fill(rng, rng.choice(SPIKE[language]), brand, trade, language)]
                if rng.random() < 0.4:
                    theme = rng.choice(list(NEGATIVE[language].values()))
                    clauses.append(fill(rng, rng.choice(theme), brand, trade, language))
                text = post(rng, language, clauses)
                named = [brand]
            elif roll < 0.07:
                language = rng.choice(LANGUAGES)
                text = post(rng, language, [rng.choice(OFF_TOPIC[language]), padding(rng, language)])
                named = []
            elif roll < 0.16:
                # Mostly brands of the same trade (the ones people compare), else any two.
                a, home, trade = rng.choices(BRANDS, weights=brand_weights)[0]
                rivals = [x for x in BRANDS if x[2] == trade and x[0] != a] or [x for x in BRANDS if x[0] != a]
                b = rng.choice(rivals)[0]
                language = home if rng.random() < 0.6 else rng.choice(LANGUAGES)
                text = post(rng, language, [fill(rng, rng.choice(COMPARE[language]), b, trade, language, other=a)])
                named = [a, b]
            else:
                brand, home, trade = rng.choices(BRANDS, weights=brand_weights)[0]
                language = home if rng.random() < 0.75 else rng.choice(LANGUAGES)
                polarity = rng.choices(["neg", "pos", "neu"], weights=[35, 35, 30])[0]
                if polarity == "neg":
                    theme = rng.choice(list(NEGATIVE[language].values()))
                    picked = rng.sample(theme, 2 if rng.random() < 0.3 else 1)
                    clauses = [fill(rng, template, brand, trade, language) for template in picked]
                elif polarity == "pos":
                    clauses = [fill(rng, rng.choice(POSITIVE[language]), brand, trade, language)]
                else:
                    clauses = [fill(rng, rng.choice(NEUTRAL[language]), brand, trade, language)]
                text = post(rng, language, clauses)
                if rng.random() < 0.25:
                    text += " #" + brand.lower().replace(" ", "").replace("í", "i")
                named = [brand]
            if named and rng.random() < 0.12:
                title = rng.choice(TITLES[language]).format(b=named[0])
            site = rng.choice(SITES)
            author = "%s_%s%d" % (rng.choice(HANDLE_PARTS), rng.choice(HANDLE_PARTS), rng.randint(1, 999))
            link = "https://%s/%s/%d" % (site, author, 10_000_000 + index)
            if rng.random() < 0.2:
                link += "?utm_source=feed&utm_medium=rss"
            record = {"id": "d%07d" % index}
            if title:
                record["title"] = title
            record["text"] = text
            record["link"] = link
            record["author"] = author
            record["published"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
            record["source"] = site
            if rng.random() < 0.5:
                record["lang"] = language
            # Engagement, long-tailed; not read by the JSON Lines mapping today.
            record["score"] = int(rng.paretovariate(1.3)) - 1
            record["replies"] = int(rng.paretovariate(1.6)) - 1
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            recent.append(record)
            if len(recent) > 500:
                recent.pop(0)
    print("wrote %d entries (%d spike, %d copies) to %s, %s .. %s" % (
        len(tagged), spike_count, copies, args.out,
        time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(tagged[0][0])),
        time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(tagged[-1][0]))))


if __name__ == "__main__":
    sys.exit(main())
