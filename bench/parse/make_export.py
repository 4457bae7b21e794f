#!/usr/bin/env python3
"""Writes a synthetic Stack Exchange data-dump Posts.xml of about SIZE megabytes (default 1024),
for the memory benchmark. Text is generated here from a small vocabulary (nothing copied).

usage: make_export.py OUT.xml [SIZE_MB]
"""
import random
import sys

WORDS = ("the beer brewery hops malt yeast lager stout ale pint glass cold taste bitter sweet "
         "delivery refund waiting support price quality app crash cancel order late great awful "
         "love hate good bad slow fast service store shipping package helpful rude cheap expensive "
         "el la que muy bueno malo servicio pedido envío retraso la il che molto buono pessimo "
         "consegna rimborso attesa assistenza grazie problema").split()


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def main():
    out = sys.argv[1]
    target = int(float(sys.argv[2]) if len(sys.argv) > 2 else 1024) * 1024 * 1024
    rng = random.Random(7)
    written = 0
    with open(out, "w", encoding="utf-8") as f:
        head = '\ufeff<?xml version="1.0" encoding="utf-8"?>\n<posts>\n'
        f.write(head)
        written += len(head.encode())
        post = 1
        while written < target:
            body = "&lt;p&gt;" + " ".join(sentence(rng, rng.randint(6, 18)) for _ in range(rng.randint(2, 8))) \
                + "&lt;/p&gt;&lt;p&gt;&lt;a href=&quot;https://example.org/x?a=1&amp;amp;b=2&quot;&gt;link&lt;/a&gt; &amp;amp; more&lt;/p&gt;"
            question = post % 3 == 1
            row = '  <row Id="%d" PostTypeId="%d" CreationDate="2016-%02d-%02dT%02d:%02d:%02d.%03d" Score="%d" Body="%s" OwnerUserId="%d" LastActivityDate="2017-01-01T00:00:00.000"%s CommentCount="%d" />\n' % (
                post, 1 if question else 2, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23),
                rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999), rng.randint(-3, 40), body,
                rng.randint(1, 5000),
                (' Title="%s" Tags="&lt;beer&gt;&lt;hops&gt;" ViewCount="%d" AnswerCount="%d"' % (sentence(rng, 7), rng.randint(1, 9999), rng.randint(0, 5))) if question else ' ParentId="%d"' % max(1, post - 1),
                rng.randint(0, 9))
            f.write(row)
            written += len(row.encode())
            post += 1
        f.write("</posts>\n")
    print("wrote %s: %d posts, %.1f MB" % (out, post - 1, written / 1048576))


if __name__ == "__main__":
    main()
