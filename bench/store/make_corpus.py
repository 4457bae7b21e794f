#!/usr/bin/env python3
"""Generates the store benchmark's corpus: N entries (default 1,000,000) of social-media-like
posts in Spanish, Italian and English as JSON Lines for `vigia import --format jsonl`, about 5% of
them mentioning one of 20 brands and 2% of them copies of a recent post under another link (to be
recognised as duplicates), with no declared language (language identification runs on every
entry), spread over 200 days, plus the matching vigia.yaml. Everything is generated here from
small vocabularies written for Vigía (nothing copied).

usage: make_corpus.py OUT_DIR [N]
writes OUT_DIR/corpus.jsonl and OUT_DIR/vigia.yaml
"""
import json
import os
import random
import sys

BRANDS = [
    ("Vuelalto", "es", '"Vuelalto" OR #vuelalto OR @vuelalto'),
    ("Pastaria", "it", '"Pastaria" OR #pastaria OR @pastaria'),
    ("Zapply", "en", '"Zapply" OR #zapply OR @zapplyapp'),
    ("Banco Solar", "es", '"Banco Solar" OR #bancosolar OR @bancosolar NOT "energía solar"'),
    ("TeleNova", "es", '"TeleNova" OR #telenova OR @telenova'),
    ("Ferrovia Rapida", "it", '"Ferrovia Rapida" OR #ferroviarapida'),
    ("Moda Viva", "it", '"Moda Viva" OR #modaviva OR @modaviva'),
    ("Cartwheel", "en", '"Cartwheel" AND (order* OR delivery OR app OR refund*) OR @cartwheelshop'),
    ("Nimbus Bank", "en", '"Nimbus Bank" OR @nimbusbank OR #nimbusbank'),
    ("Correo Listo", "es", '"Correo Listo" OR #correolisto'),
    ("Gelateria Polo", "it", '"Gelateria Polo" OR #gelateriapolo'),
    ("StreamBox", "en", '"StreamBox" OR #streambox OR @streambox NOT "stream box office"'),
    ("Seguros Faro", "es", '"Seguros Faro" OR @segurosfaro'),
    ("Energia Blu", "it", '"Energia Blu" OR #energiablu OR @energiablu'),
    ("QuickCab", "en", '"QuickCab" OR #quickcab OR @quickcab'),
    ("Hotel Marea", "es", '"Hotel Marea" OR #hotelmarea'),
    ("Libreria Sole", "it", '"Libreria Sole" OR #libreriasole'),
    ("Pixelphone", "en", '"Pixelphone" OR #pixelphone OR @pixelphone'),
    ("Supermercado Luz", "es", '"Supermercado Luz" OR #superluz'),
    ("Autostrade Verdi", "it", '"Autostrade Verdi" OR #autostradeverdi'),
]

WORDS = {
    "es": ("el la los las un una que de en y a por con para sin muy más pero también hoy ayer mañana "
           "semana mes año casa trabajo ciudad calle gente amigos familia tiempo lluvia sol partido "
           "fútbol música serie película noticia gobierno precio tienda pedido envío paquete tren "
           "vuelo hotel playa montaña comida cena café cerveza libro escuela universidad examen "
           "verano invierno fiesta concierto equipo jugador entrenador gol ciudad barrio vecino").split(),
    "it": ("il la i le un una che di in e a per con senza molto più ma anche oggi ieri domani "
           "settimana mese anno casa lavoro città strada gente amici famiglia tempo pioggia sole "
           "partita calcio musica serie film notizia governo prezzo negozio ordine spedizione pacco "
           "treno volo albergo spiaggia montagna cibo cena caffè birra libro scuola università esame "
           "estate inverno festa concerto squadra giocatore allenatore gol quartiere vicino").split(),
    "en": ("the a an that of in and to for with without very more but also today yesterday tomorrow "
           "week month year home work city street people friends family weather rain sun game "
           "football music series movie news government price shop order delivery parcel train "
           "flight hotel beach mountain food dinner coffee beer book school university exam summer "
           "winter party concert team player coach goal neighbourhood neighbour weekend").split(),
}

OPINIONS = {
    "es": {
        "pos": ["me encanta {b}", "{b} es genial", "muy contento con {b}", "gracias {b}, servicio excelente",
                "{b} nunca falla", "recomiendo {b} sin duda"],
        "neg": ["{b} es un desastre", "pésimo servicio de {b}", "{b} me canceló el pedido y nadie contesta",
                "todavía espero el reembolso de {b}", "la app de {b} no funciona", "nunca más con {b}"],
        "neu": ["¿alguien sabe el horario de {b}?", "hoy he visto un anuncio de {b}", "{b} abre una tienda nueva",
                "mañana hablo con {b}"],
    },
    "it": {
        "pos": ["adoro {b}", "{b} è fantastico", "grazie {b}, tutto perfetto", "consegna velocissima di {b}",
                "{b} non sbaglia mai", "consiglio {b} a tutti"],
        "neg": ["{b} fa schifo", "pessimo servizio di {b}", "{b} mi ha addebitato due volte",
                "rimborso di {b} mai arrivato", "l'app di {b} si blocca sempre", "mai più con {b}"],
        "neu": ["qualcuno sa gli orari di {b}?", "oggi ho visto la pubblicità di {b}", "{b} apre un nuovo negozio",
                "domani chiamo {b}"],
    },
    "en": {
        "pos": ["I love {b}", "{b} is brilliant", "thanks {b}, great service", "super fast delivery from {b}",
                "{b} never lets me down", "highly recommend {b}"],
        "neg": ["{b} is a disaster", "terrible service from {b}", "{b} charged me twice",
                "still waiting for my refund from {b}", "the {b} app keeps crashing", "never again with {b}"],
        "neu": ["does anyone know when {b} opens?", "saw an ad for {b} today", "{b} is opening a new store",
                "calling {b} tomorrow"],
    },
}

SITES = ["forum.example.org", "reviews.example.com", "news.example.net", "social.example.io", "blog.example.es",
         "community.example.it"]


def sentence(rng, language, length):
    words = rng.choices(WORDS[language], k=length)
    return " ".join(words).capitalize() + rng.choice([".", ".", ".", "!", "?"])


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20241122)
    start = 1_700_000_000  # 2023-11-14; the entries span 200 days whatever their number
    step = max(1, 200 * 86_400 // max(1, count))
    recent = []  # the last few records, some of which get syndicated again
    with open(os.path.join(out, "corpus.jsonl"), "w", encoding="utf-8") as corpus:
        for index in range(count):
            if recent and rng.random() < 0.02:
                # A copy: the same post syndicated under another link (counted once per brand).
                original = rng.choice(recent)
                copy = dict(original, id="bench-%d" % index, link="https://mirror.example.net/%d" % index,
                            published=start + index * step, source="mirror.example.net")
                corpus.write(json.dumps(copy, ensure_ascii=False) + "\n")
                continue
            language = rng.choices(["es", "it", "en"], weights=[40, 25, 35])[0]
            sentences = [sentence(rng, language, rng.randint(6, 16)) for _ in range(rng.randint(2, 6))]
            title = sentence(rng, language, rng.randint(4, 9))
            if rng.random() < 0.05:
                name, home, _ = rng.choice(BRANDS)
                polarity = rng.choices(["pos", "neg", "neu"], weights=[30, 45, 25])[0]
                opinion = rng.choice(OPINIONS[language][polarity]).format(b=name)
                if rng.random() < 0.3:
                    opinion += " #" + name.lower().replace(" ", "")
                sentences.insert(rng.randrange(len(sentences) + 1), opinion[0].upper() + opinion[1:] + ".")
                if rng.random() < 0.3:
                    title = opinion[0].upper() + opinion[1:]
            site = rng.choice(SITES)
            record = {
                "id": "bench-%d" % index,
                "title": title,
                "text": " ".join(sentences),
                "link": "https://%s/p/%d?utm_source=feed" % (site, index),
                "author": "user%d" % rng.randint(1, 50_000),
                "published": start + index * step + rng.randint(0, step - 1),
                "source": site,
            }
            corpus.write(json.dumps(record, ensure_ascii=False) + "\n")
            recent.append(record)
            if len(recent) > 1000:
                recent.pop(0)
    with open(os.path.join(out, "vigia.yaml"), "w", encoding="utf-8") as config:
        config.write("# Generated by bench/store/make_corpus.py\ndatabase: vigia.db\nbrands:\n")
        for name, _, query in BRANDS:
            config.write("  - name: %s\n    query: '%s'\n" % (json.dumps(name, ensure_ascii=False), query.replace("'", "''")))
    print("wrote %d entries to %s" % (count, os.path.join(out, "corpus.jsonl")))


if __name__ == "__main__":
    main()
