#!/usr/bin/env python3
"""Writes hostile inputs for `vigia score` / `vigia lang` (one text per line) to stdout as bytes.

Used by bench/score/outputs.sh to check that speed work changes no output: empty lines, very
long lines, invalid UTF-8, control characters, NUL bytes, emoji-only texts, combining marks,
HTML character references, other scripts, long runs of one character, CRLF endings. Deterministic (fixed seed).
"""
import random
import sys

rng = random.Random(20261122)
lines = []
add = lines.append

add(b"")
add(b"   ")
add(b"\t\t")
add(b"\r")
add(b"\x00")
add(b"a\x00b great\x00")
add(bytes(range(1, 10)) + bytes(range(11, 32)) + b"\x7f")
add(b"good \x1b[31mred\x1b[0m bad")
add(b"\xff\xfe\xfd")
add(b"\xc3")
add(b"caf\xc3")
add(b"\xe2\x82")
add(b"\xf0\x9f\x98")
add(b"\xed\xa0\x80 surrogate")
add(b"\xc0\xaf overlong")
add(b"\xf4\x90\x80\x80 beyond")
add(b"great \x80\x81 service \xfe")
add("😀".encode())
add("😀😀😀😀😀".encode())
add("😡🤬💩".encode())
add("👍🏽👎🏿❤️‍🔥🏳️‍🌈👨‍👩‍👧‍👦".encode())
add("🇪🇸🇮🇹🇬🇧".encode())
add(":-( :) xD <3 </3 :'( ;-) :P".encode())
add("!!!!!!!!!!!!!!!!!!!!!!!!!!".encode())
add("??!?!?!?!".encode())
add("e\u0301 cafe\u0301 no\u0303 bueni\u0301simo".encode())
add("Ｆｕｌｌｗｉｄｔｈ ｇｏｏｄ".encode())
add("Это ужасно плохо".encode())
add("これは素晴らしいです".encode())
add("هذا رائع".encode())
add("Ελληνικά καλό".encode())
add("ﬁne ﬂight ǅ İstanbul ß ẞ".encode())
add(("a" * 5000).encode())
add(("no " * 3000).encode())
add(("good " * 2000 + "bad " * 2000).encode())
add(("#" * 1000 + "@" * 1000).encode())
add(("http://" + "x" * 3000).encode())
add(("www." * 500).encode())
add(("&amp;" * 1000).encode())
add(("' " * 1000).encode())
add("B R A V O  G R E A T  T E R R I B L E".encode())
add("nooooooooooooooooooooooooooooooooooooo".encode())
add("buenísimoooooooooooo maaaaaalísimo".encode())
add("#MalServicio #GreatService #ServizioPessimo #ironía #sarcasm".encode())
add("@user1 @user2 http://t.co/x www.example.com &amp; &lt;3 &#128512;".encode())
add("NOT GOOD AT ALL!!! BUT I LOVE IT".encode())
add("don't dímelo dell'assistenza l'ho non c'è male de puta madre not bad".encode())
add("\u200b\u200d\u00ad\ufeff zero width".encode())
add("\u2028\u2029\u0085 separators".encode())
add(b"tab\tinside\tthe\ttext")
add(b"crlf line\r")
add(b"mid\rcr")
add("&lt;3 &gt;:( &quot;bad&quot; don&#39;t &#x27; &amp;lt;3 &amp;amp;amp; AT&T &nbsp &#0; &#xD800; &#x110000;".encode())
add(("&#128512;" * 2000 + "&" * 2000 + "&lt" * 1000).encode())
add("&iquest;qu&eacute; tal? &iexcl;s&iacute;! perch&egrave; caf&#233; &hellip;&rsquo;&".encode())
add(("x" * 1_048_576).encode())
add(("good " * 210_000).encode())
words = ["good", "bad", "no", "not", "very", "muy", "bueno", "malo", "pero", "but", "ma", "molto",
         "😀", "😡", "!", "?", "#Tag", "@h", "http://u.rl", "'", ":-(", "ñ", "è", "\u0301", "  "]
big = " ".join(rng.choice(words) for _ in range(200_000))
add(big.encode())
for _ in range(300):
    length = rng.randint(0, 200)
    add(bytes(rng.choice(range(1, 256)) if rng.random() < 0.3 else rng.choice(b"abcdefg !?.,'#@") for _ in range(length)).replace(b"\n", b" "))
for _ in range(300):
    add(" ".join(rng.choice(words) for _ in range(rng.randint(1, 40))).encode())

out = sys.stdout.buffer
for line in lines:
    assert b"\n" not in line
    out.write(line + b"\n")
out.write(b"last line without newline good")
