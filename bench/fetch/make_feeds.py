#!/usr/bin/env python3
"""Generates the feeds that bench/fetch/run.sh serves with nginx.

    make_feeds.py OUTDIR N [--round 1|2] [--port PORT]

Round 1 writes N RSS 2.0 feeds OUTDIR/www/f/NNNNN.xml (numbered from 1), each with 10-20
items of forum/social text in Spanish, Italian and English (about 5-15 KB a feed); about one
item in four mentions Vuelalto, Pastaria or Zapply, in positive or negative words.

Round 2 rewrites only the odd-numbered feeds, with 2 new items (new GUIDs, newer pubDates) on
top of the same round-1 items, and does not touch the even-numbered files at all: nginx derives
ETag and Last-Modified from a file's mtime and size, so those must answer 304 to a conditional
request. Round 2 needs round 1's files (it checks that they are there).

Both rounds (re)write OUTDIR/feeds.opml (OPML 2.0, one rss outline per feed with
xmlUrl=http://127.0.0.1:PORT/f/NNNNN.xml) and OUTDIR/urls.curl (a curl config: url = "..."
and output = "/dev/null" per feed). Everything is seeded: the same N gives the same bytes.
"""
import argparse
import os
import random
import sys
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape, quoteattr

SEED = 20250301
BASE_TIME = datetime(2025, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
BRANDS = ["Vuelalto", "Pastaria", "Zapply"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# Per language: forum names, nicknames, topics, plain sentences (with {topic}), brand
# sentences that are positive / negative (with {brand}), and title templates.
LANGUAGES = {
    "es": {
        "forums": ["Foro de Viajeros", "Cocina en Casa", "Tecnología Hoy", "Charlas de Barrio",
                   "Consejos y Trucos", "El Rincón del Consumidor"],
        "users": ["marta_88", "jlopez", "viajera_sol", "pepe.garcia", "lucia_m", "kike_bcn",
                  "anaisabel", "carlosr", "noemi.v", "tito_madrid"],
        "topics": ["el vuelo a Lisboa", "la receta de lasaña", "el móvil nuevo", "las vacaciones",
                   "el servicio de atención", "la mudanza", "el portátil", "la cena del sábado",
                   "el tren de cercanías", "la tarifa de datos", "el horno", "la maleta"],
        "plain": [
            "Al final me decidí por {topic} y la verdad es que no me arrepiento.",
            "¿Alguien sabe si merece la pena {topic} o es mejor esperar a las ofertas?",
            "Llevo una semana pensando en {topic} y no encuentro información clara.",
            "Os cuento mi experiencia con {topic}, por si a alguien le sirve.",
            "Gracias a todos por las respuestas, me han ayudado mucho con {topic}.",
            "Con {topic} fue un desastre por culpa del tiempo, pero bueno, se sobrevive.",
            "Pregunté en la tienda por {topic} y me dieron tres respuestas distintas.",
            "Si tenéis dudas sobre {topic}, mirad el hilo fijado que está muy completo.",
            "Mi hermana dice que {topic} es lo mejor que ha hecho este año.",
            "Actualizo: el problema con {topic} se solucionó solo después de reiniciar todo.",
        ],
        "positive": [
            "Volé con {brand} el mes pasado y todo perfecto, puntuales y muy amables.",
            "Tengo que decir que {brand} me ha sorprendido para bien, lo recomiendo.",
            "Me encanta {brand}, la relación calidad-precio es buenísima.",
            "El servicio de {brand} fue excelente, resolvieron mi problema en minutos.",
        ],
        "negative": [
            "Nunca más con {brand}: retraso de cuatro horas y nadie daba explicaciones.",
            "Muy decepcionado con {brand}, el producto llegó roto y no me devuelven el dinero.",
            "{brand} es un timo, cobran extras por todo y la atención es pésima.",
            "Fatal la experiencia con {brand}, no lo recomiendo a nadie.",
        ],
        "titles": ["Duda sobre {topic}", "Mi experiencia con {topic}", "Re: {topic}",
                   "¿Qué opináis sobre {topic}?", "Consejo rápido: {topic}"],
        "brand_titles": ["Opinión sobre {brand}", "¿Alguien ha probado {brand}?", "Re: {brand}"],
    },
    "it": {
        "forums": ["Forum dei Viaggiatori", "Cucina Italiana", "Tecnologia e Dintorni",
                   "Chiacchiere di Quartiere", "Consigli Utili", "Il Consumatore Attento"],
        "users": ["giulia_r", "marco.b", "francy92", "luca_to", "sara.m", "ale_napoli",
                  "paolo_v", "chiaretta", "davide.f", "elena_mi"],
        "topics": ["il volo per Parigi", "la ricetta della carbonara", "il telefono nuovo",
                   "le ferie in Sardegna", "il servizio clienti", "il trasloco", "il portatile",
                   "la cena di domenica", "il treno regionale", "l'abbonamento internet",
                   "il forno", "la valigia"],
        "plain": [
            "Alla fine ho scelto {topic} e devo dire che sono soddisfatto.",
            "Qualcuno sa se conviene {topic} oppure è meglio aspettare i saldi?",
            "È una settimana che ci penso, ma per {topic} non trovo informazioni chiare.",
            "Vi racconto la mia esperienza con {topic}, magari può servire a qualcuno.",
            "Grazie a tutti per le risposte, mi avete aiutato molto con {topic}.",
            "Con {topic} è stato un disastro per colpa del tempo, ma pazienza.",
            "Ho chiesto in negozio per {topic} e mi hanno dato tre risposte diverse.",
            "Se avete dubbi, per {topic} guardate la discussione in evidenza.",
            "Mia sorella dice che {topic} è la cosa migliore che ha fatto quest'anno.",
            "Aggiornamento: il problema con {topic} si è risolto da solo dopo il riavvio.",
        ],
        "positive": [
            "Ho volato con {brand} il mese scorso, tutto perfetto e personale gentilissimo.",
            "Devo ammettere che {brand} mi ha stupito in positivo, lo consiglio.",
            "Adoro {brand}, ottimo rapporto qualità-prezzo.",
            "Il servizio di {brand} è stato eccellente, problema risolto in pochi minuti.",
        ],
        "negative": [
            "Mai più con {brand}: quattro ore di ritardo e nessuna spiegazione.",
            "Molto deluso da {brand}, il pacco è arrivato rotto e non mi rimborsano.",
            "{brand} è una truffa, fanno pagare extra per tutto e l'assistenza è pessima.",
            "Esperienza terribile con {brand}, non lo consiglio a nessuno.",
        ],
        "titles": ["Dubbio: {topic}", "La mia esperienza con {topic}", "Re: {topic}",
                   "Che ne dite, {topic}?", "Consiglio veloce: {topic}"],
        "brand_titles": ["Opinioni su {brand}", "Qualcuno ha provato {brand}?", "Re: {brand}"],
    },
    "en": {
        "forums": ["Travel Talk", "Home Cooking", "Tech Today", "Neighbourhood Chat",
                   "Tips and Tricks", "Consumer Corner"],
        "users": ["sarah_k", "mike.jones", "travelbug", "dan_the_man", "emily_r", "jjwilson",
                  "kate.h", "tom_uk", "priya.s", "beth_nyc"],
        "topics": ["the flight to Dublin", "the lasagna recipe", "the new phone", "the holidays",
                   "customer support", "the house move", "the laptop", "Saturday dinner",
                   "the commuter train", "the data plan", "the oven", "the suitcase"],
        "plain": [
            "In the end I went with {topic} and honestly I have no regrets.",
            "Does anyone know if {topic} is worth it or should I wait for the sales?",
            "I've been going back and forth on {topic} for a week and can't find clear info.",
            "Sharing my experience with {topic} in case it helps someone.",
            "Thanks everyone for the replies, they really helped with {topic}.",
            "{topic} was a mess because of the weather, but we survived.",
            "I asked at the store about {topic} and got three different answers.",
            "If you have questions about {topic}, check the pinned thread, it's very thorough.",
            "My sister says {topic} was the best thing she did this year.",
            "Update: the problem with {topic} fixed itself after a restart.",
        ],
        "positive": [
            "Flew with {brand} last month and everything was perfect, on time and friendly crew.",
            "I have to say {brand} surprised me in a good way, highly recommend.",
            "Love {brand}, great value for money.",
            "{brand} support was excellent, they fixed my issue in minutes.",
        ],
        "negative": [
            "Never again with {brand}: four hour delay and nobody explained anything.",
            "Really disappointed with {brand}, the parcel arrived broken and no refund.",
            "{brand} is a rip-off, they charge extra for everything and support is awful.",
            "Terrible experience with {brand}, would not recommend to anyone.",
        ],
        "titles": ["Question about {topic}", "My experience with {topic}", "Re: {topic}",
                   "What do you think of {topic}?", "Quick tip: {topic}"],
        "brand_titles": ["Thoughts on {brand}", "Has anyone tried {brand}?", "Re: {brand}"],
    },
}


def rfc822(moment):
    return "%s, %02d %s %04d %02d:%02d:%02d +0000" % (
        DAYS[moment.weekday()], moment.day, MONTHS[moment.month - 1], moment.year,
        moment.hour, moment.minute, moment.second)


def feed_name(number, width):
    return "%0*d" % (width, number)


def make_item(rng, language, feed_id, serial, moment):
    words = LANGUAGES[language]
    topic = rng.choice(words["topics"])
    sentences = []
    brand = None
    if rng.random() < 0.25:
        brand = rng.choice(BRANDS)
        tone = "positive" if rng.random() < 0.5 else "negative"
        title = rng.choice(words["brand_titles"]).format(brand=brand)
    else:
        title = rng.choice(words["titles"]).format(topic=topic)
    for template in rng.sample(words["plain"], rng.randint(2, 5)):
        sentence = template.format(topic=topic)
        sentences.append(sentence[0].upper() + sentence[1:])
    if brand is not None:
        sentences.insert(rng.randint(0, len(sentences)), rng.choice(words[tone]).format(brand=brand))
    user = rng.choice(words["users"])
    body = " ".join(sentences)
    guid = "vigia-bench-%s-%06d" % (feed_id, serial)
    link = "https://forum.example/%s/t/%s/%d" % (language, feed_id, serial)
    return (
        "    <item>\n"
        "      <title>%s</title>\n"
        "      <link>%s</link>\n"
        "      <guid isPermaLink=\"false\">%s</guid>\n"
        "      <pubDate>%s</pubDate>\n"
        "      <dc:creator>%s</dc:creator>\n"
        "      <category>%s</category>\n"
        "      <description>%s</description>\n"
        "    </item>\n"
    ) % (escape(title), escape(link), guid, rfc822(moment), escape(user), escape(topic),
         escape("<p>" + body + "</p>"))


def render_feed(number, width, round_number):
    feed_id = feed_name(number, width)
    rng = random.Random(SEED * 1_000_003 + number)
    language = rng.choice(["es", "it", "en"])
    words = LANGUAGES[language]
    forum = rng.choice(words["forums"])
    count = rng.randint(10, 20)
    # Round-1 items, newest first, a few hours apart, ending before BASE_TIME.
    moment = BASE_TIME - timedelta(minutes=rng.randint(0, 600))
    items = []
    for serial in range(count, 0, -1):
        items.append(make_item(rng, language, feed_id, serial, moment))
        moment -= timedelta(minutes=rng.randint(20, 400))
    newest = BASE_TIME
    if round_number == 2:
        extra = random.Random(SEED * 7_000_003 + number)
        fresh = []
        moment = BASE_TIME + timedelta(hours=1, minutes=extra.randint(0, 50))
        for serial in (count + 2, count + 1):
            fresh.append(make_item(extra, language, feed_id, serial, moment))
            moment -= timedelta(minutes=extra.randint(1, 5))
        items = fresh + items
        newest = BASE_TIME + timedelta(hours=2)
    return (
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
        "  <channel>\n"
        "    <title>%s #%s</title>\n"
        "    <link>https://forum.example/%s/%s</link>\n"
        "    <description>%s</description>\n"
        "    <language>%s</language>\n"
        "    <lastBuildDate>%s</lastBuildDate>\n"
        "%s"
        "  </channel>\n"
        "</rss>\n"
    ) % (escape(forum), feed_id, language, feed_id, escape(forum), language, rfc822(newest),
         "".join(items))


def write(path, text):
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir")
    parser.add_argument("n", type=int)
    parser.add_argument("--round", type=int, choices=[1, 2], default=1)
    parser.add_argument("--port", type=int, default=8080)
    arguments = parser.parse_args()
    count = arguments.n
    width = max(5, len(str(count)))
    directory = os.path.join(arguments.outdir, "www", "f")
    os.makedirs(directory, exist_ok=True)

    written = total = 0
    for number in range(1, count + 1):
        path = os.path.join(directory, feed_name(number, width) + ".xml")
        if arguments.round == 2:
            if not os.path.exists(path):
                sys.exit("make_feeds.py: %s is missing; run round 1 first" % path)
            if number % 2 == 0:  # unchanged half: not even opened for writing
                total += os.path.getsize(path)
                continue
        text = render_feed(number, width, arguments.round)
        write(path, text)
        written += 1
        total += len(text.encode("utf-8"))

    base = "http://127.0.0.1:%d/f/" % arguments.port
    urls = [base + feed_name(number, width) + ".xml" for number in range(1, count + 1)]
    outlines = "".join(
        "    <outline type=\"rss\" text=%s xmlUrl=%s/>\n" % (quoteattr("bench feed " + feed_name(i + 1, width)), quoteattr(url))
        for i, url in enumerate(urls))
    write(os.path.join(arguments.outdir, "feeds.opml"),
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n"
          "  <head><title>vigia bench/fetch: %d feeds</title></head>\n  <body>\n%s  </body>\n</opml>\n"
          % (count, outlines))
    write(os.path.join(arguments.outdir, "urls.curl"),
          "".join("url = \"%s\"\noutput = \"/dev/null\"\n" % url for url in urls))
    print("round %d: wrote %d of %d feeds, %.1f MB in all (%.1f KB a feed)"
          % (arguments.round, written, count, total / 1048576, total / 1024 / max(count, 1)),
          file=sys.stderr)


if __name__ == "__main__":
    main()
