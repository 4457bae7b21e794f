#!/usr/bin/env python3
"""Writes small feeds that each exercise one edge case of feed parsing (formats, elements,
content types, relative links, languages, authors, categories, dates, encodings, entities,
ill-formed markup) into a folder, for differential checks against feedparser:

    python3 bench/parse/edgecases.py OUT_DIR
    python3 bench/parse/compare_feedparser.py .build/release/vigia OUT_DIR --verbose

Every document here is written for Vigía; none is copied from another project.
"""
import os
import sys

RSS_ITEM = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" {ns}><channel><title>Channel</title><link>http://example.org/</link>
<description>About the channel</description>
<item>{item}</item>
</channel></rss>
"""
ATOM_ENTRY = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" {ns}><title>Feed</title><id>urn:x:feed</id>
<updated>2024-05-01T10:00:00Z</updated><link href="http://example.org/"/>
<entry>{entry}</entry>
</feed>
"""
ATOM03_ENTRY = """<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#" {ns}><title>Feed</title>
<link rel="alternate" type="text/html" href="http://example.org/"/>
<entry>{entry}</entry>
</feed>
"""
RDF_ITEM = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" {ns}>
<channel rdf:about="http://example.org/"><title>Channel</title><link>http://example.org/</link><description>d</description></channel>
<item rdf:about="http://example.org/1">{item}</item>
</rdf:RDF>
"""
NS = {
    "dc": 'xmlns:dc="http://purl.org/dc/elements/1.1/"',
    "dcterms": 'xmlns:dcterms="http://purl.org/dc/terms/"',
    "content": 'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
    "atom": 'xmlns:atom="http://www.w3.org/2005/Atom"',
    "itunes": 'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"',
    "media": 'xmlns:media="http://search.yahoo.com/mrss/"',
    "xhtml": 'xmlns:xhtml="http://www.w3.org/1999/xhtml"',
}
ALL_NS = " ".join(NS.values())


def rss(item, ns=ALL_NS):
    return RSS_ITEM.format(ns=ns, item=item)


def atom(entry, ns=ALL_NS):
    return ATOM_ENTRY.format(ns=ns, entry=entry)


def atom03(entry, ns=""):
    return ATOM03_ENTRY.format(ns=ns, entry=entry)


def rdf(item, ns=ALL_NS):
    return RDF_ITEM.format(ns=ns, item=item)


CASES = {}

# Titles
CASES["rss_title_plain"] = rss("<title>Plain title</title>")
CASES["rss_title_entities"] = rss("<title>AT&amp;T &amp; friends &lt; 3</title>")
CASES["rss_title_escaped_html"] = rss("<title>A &lt;b&gt;bold&lt;/b&gt; move</title>")
CASES["rss_title_cdata_html"] = rss("<title><![CDATA[A <em>quick</em> fix]]></title>")
CASES["rss_title_cdata_lt"] = rss("<title><![CDATA[1 < 2 and 3 > 2]]></title>")
CASES["rss_title_numeric_refs"] = rss("<title>Caf&#233; &#x201C;quoted&#x201D;</title>")
CASES["rss_title_dc_after"] = rss("<title>First</title><dc:title>Second</dc:title>")
CASES["rss_title_dc_only"] = rss("<dc:title>Only DC</dc:title>")
CASES["rss_title_empty_then_dc"] = rss("<title></title><dc:title>Fallback</dc:title>")
CASES["rss_title_whitespace"] = rss("<title>\n   Spaced   out\n  </title>")
CASES["atom_title_text"] = atom('<title type="text">Text &lt;b&gt;not bold&lt;/b&gt;</title><id>1</id>')
CASES["atom_title_html"] = atom('<title type="html">Html &lt;b&gt;bold&lt;/b&gt;</title><id>1</id>')
CASES["atom_title_xhtml"] = atom('<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">X<b>html</b> title</div></title><id>1</id>')
CASES["atom_title_default_markupish"] = atom('<title>Tom &amp; Jerry &lt;3</title><id>1</id>')
CASES["atom03_title_escaped"] = atom03('<title mode="escaped" type="text/html">Escaped &lt;i&gt;title&lt;/i&gt;</title><id>1</id>')
CASES["rss_media_title"] = rss("<media:title>Media title</media:title><title>Real title</title>")
CASES["rss_media_title_only"] = rss("<media:title>Media only</media:title>")

# Links
CASES["rss_link"] = rss("<title>t</title><link>http://example.org/1</link>")
CASES["rss_link_relative"] = rss("<title>t</title><link>/posts/1</link>")
CASES["rss_link_amp"] = rss("<title>t</title><link>http://example.org/?a=1&amp;b=2</link>")
CASES["rss_guid_permalink"] = rss("<title>t</title><guid>http://example.org/guid/1</guid>")
CASES["rss_guid_not_permalink"] = rss('<title>t</title><guid isPermaLink="false">abc-123</guid>')
CASES["rss_guid_then_link"] = rss("<title>t</title><guid>http://example.org/g</guid><link>http://example.org/l</link>")
CASES["rss_link_then_guid"] = rss("<title>t</title><link>http://example.org/l</link><guid>http://example.org/g</guid>")
CASES["rss_atom_link_alternate"] = rss('<title>t</title><atom:link rel="alternate" href="http://example.org/alt"/>')
CASES["rss_atom_link_self_channel"] = RSS_ITEM.replace("<link>http://example.org/</link>", '<atom:link rel="self" href="http://example.org/feed"/><link>http://example.org/site</link>').format(ns=ALL_NS, item="<title>t</title>")
CASES["atom_link_default_rel"] = atom('<title>t</title><id>1</id><link href="http://example.org/a"/>')
CASES["atom_link_alternate_html"] = atom('<title>t</title><id>1</id><link rel="related" href="http://example.org/r"/><link rel="alternate" type="text/html" href="http://example.org/a"/>')
CASES["atom_link_alternate_pdf"] = atom('<title>t</title><id>1</id><link rel="alternate" type="application/pdf" href="http://example.org/a.pdf"/>')
CASES["atom_link_relative_base"] = atom('<title>t</title><id>1</id><link href="posts/1"/>').replace("<feed ", '<feed xml:base="http://example.org/blog/" ')
CASES["atom_link_entry_base"] = atom('<title>t</title><id>1</id><link xml:base="http://other.example/x/" href="../y"/>')
CASES["atom_link_nested_base"] = atom('<title>t</title><id>1</id><link href="z"/>').replace("<entry>", '<entry xml:base="sub/">').replace("<feed ", '<feed xml:base="http://example.org/a/" ')
CASES["atom_id_as_link"] = atom('<title>t</title><id>http://example.org/id/1</id>')
CASES["atom_multiple_alternates"] = atom('<title>t</title><id>1</id><link rel="alternate" href="http://example.org/first"/><link rel="alternate" href="http://example.org/second"/>')
CASES["rdf_item_about"] = rdf("<title>t</title><link>http://example.org/1</link>")

# Summaries and content
CASES["rss_description_html"] = rss("<title>t</title><description>&lt;p&gt;Para &lt;a href='x'&gt;link&lt;/a&gt;&lt;/p&gt;&lt;p&gt;Two&lt;/p&gt;</description>")
CASES["rss_description_cdata"] = rss("<title>t</title><description><![CDATA[<p>One</p><p>Two &amp; three</p>]]></description>")
CASES["rss_description_plain"] = rss("<title>t</title><description>Just words here.</description>")
CASES["rss_description_script"] = rss("<title>t</title><description><![CDATA[Before<script>alert('x')</script> after<style>p{}</style>.]]></description>")
CASES["rss_content_encoded"] = rss("<title>t</title><description>Short</description><content:encoded><![CDATA[<p>Long <b>body</b></p>]]></content:encoded>")
CASES["rss_content_encoded_only"] = rss("<title>t</title><content:encoded><![CDATA[<p>Body only</p>]]></content:encoded>")
CASES["rss_content_before_description"] = rss("<title>t</title><content:encoded><![CDATA[<p>Body</p>]]></content:encoded><description>Short</description>")
CASES["rss_two_descriptions"] = rss("<title>t</title><description>First</description><description>Second</description>")
CASES["rss_itunes_summary"] = rss("<title>t</title><description>Desc</description><itunes:summary>Itunes summary</itunes:summary>")
CASES["rss_itunes_summary_only"] = rss("<title>t</title><itunes:summary>Only itunes</itunes:summary>")
CASES["rss_media_description"] = rss("<title>t</title><media:group><media:description>Media desc</media:description></media:group>")
CASES["rss_description_unescaped_markup"] = rss("<title>t</title><description>Inline <b>bold</b> text</description>")
CASES["rss_description_double_escaped"] = rss("<title>t</title><description>&amp;lt;p&amp;gt;Double &amp;amp; escaped&amp;lt;/p&amp;gt;</description>")
CASES["rss_xhtml_body"] = rss('<title>t</title><xhtml:body><p>XHTML body</p></xhtml:body>'.replace("<p>", '<xhtml:p>').replace("</p>", "</xhtml:p>"))
CASES["atom_summary_text"] = atom('<title>t</title><id>1</id><summary>Summary &lt;b&gt;text&lt;/b&gt;</summary>')
CASES["atom_summary_html"] = atom('<title>t</title><id>1</id><summary type="html">&lt;p&gt;Summary html&lt;/p&gt;</summary>')
CASES["atom_content_html"] = atom('<title>t</title><id>1</id><content type="html">&lt;p&gt;Content &amp;amp; more&lt;/p&gt;</content>')
CASES["atom_content_xhtml"] = atom('<title>t</title><id>1</id><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Para one</p><p>Para <em>two</em> &amp; end</p></div></content>')
CASES["atom_content_text"] = atom('<title>t</title><id>1</id><content type="text">Plain &lt;b&gt; content</content>')
CASES["atom_content_default"] = atom('<title>t</title><id>1</id><content>Default content</content>')
CASES["atom_content_mediatype_html"] = atom('<title>t</title><id>1</id><content type="text/html">&lt;p&gt;Typed&lt;/p&gt;</content>')
CASES["atom_content_base64"] = atom('<title>t</title><id>1</id><content type="application/octet-stream">SGVsbG8gd29ybGQ=</content>')
CASES["atom_summary_and_content"] = atom('<title>t</title><id>1</id><summary>S</summary><content type="html">&lt;p&gt;C&lt;/p&gt;</content>')
CASES["atom_content_src"] = atom('<title>t</title><id>1</id><content type="text/html" src="http://example.org/c"/>')
CASES["atom03_content_escaped"] = atom03('<title>t</title><id>1</id><content type="text/html" mode="escaped">&lt;p&gt;Escaped&lt;/p&gt;</content>')
CASES["atom03_content_xml"] = atom03('<title>t</title><id>1</id><content type="application/xhtml+xml" mode="xml"><div xmlns="http://www.w3.org/1999/xhtml">X<b>ml</b></div></content>')
CASES["atom03_content_base64"] = atom03('<title>t</title><id>1</id><content type="text/plain" mode="base64">QmFzZTY0IHRleHQ=</content>')

# Dates
DATES = {
    "rfc822": "Wed, 01 May 2024 10:00:00 GMT",
    "rfc822_offset": "Wed, 01 May 2024 10:00:00 +0200",
    "rfc822_colon_offset": "Wed, 01 May 2024 10:00:00 +02:00",
    "rfc822_no_day": "01 May 2024 10:00:00 GMT",
    "rfc822_no_seconds": "Wed, 01 May 2024 10:00 EST",
    "rfc822_two_digit_year": "Thu, 01 Jan 04 10:00:00 GMT",
    "rfc822_two_digit_year_90s": "Fri, 01 Jan 99 10:00:00 GMT",
    "rfc822_military": "Wed, 01 May 2024 10:00:00 Z",
    "rfc822_military_a": "Wed, 01 May 2024 10:00:00 A",
    "rfc822_pdt": "Wed, 01 May 2024 10:00:00 PDT",
    "rfc822_no_zone": "Wed, 01 May 2024 10:00:00",
    "rfc822_date_only": "01 May 2024",
    "rfc822_full_names": "Wednesday, 01 May 2024 10:00:00 GMT",
    "rfc822_swapped": "Wed, May 01 2024 10:00:00 GMT",
    "rfc822_single_digit_day": "Wed, 1 May 2024 10:00:00 GMT",
    "rfc822_gmt_offset": "Wed, 01 May 2024 10:00:00 GMT+02:00",
    "rfc822_etc_gmt": "Wed, 01 May 2024 10:00:00 Etc/GMT",
    "rfc822_bad_day": "Wed, 31 Feb 2024 10:00:00 GMT",
    "rfc822_bad_hour": "Wed, 01 May 2024 25:00:00 GMT",
    "w3dtf_full": "2024-05-01T10:00:00Z",
    "w3dtf_offset": "2024-05-01T10:00:00-05:00",
    "w3dtf_fraction": "2024-05-01T10:00:00.123+01:00",
    "w3dtf_no_seconds": "2024-05-01T10:00Z",
    "w3dtf_date": "2024-05-01",
    "w3dtf_month": "2024-05",
    "w3dtf_year": "2024",
    "w3dtf_space": "2024-05-01 10:00:00",
    "w3dtf_space_offset": "2024-05-01 10:00:00 +0100",
    "w3dtf_lower_t": "2024-05-01t10:00:00z",
    "iso_compact": "20240501T100000Z",
    "iso_compact_date": "20240501",
    "asctime": "Wed May  1 10:00:00 2024",
    "garbage": "sometime last week",
    "empty": "",
}
for name, value in DATES.items():
    CASES["date_rss_" + name] = rss("<title>t</title><pubDate>%s</pubDate>" % value)
CASES["date_atom_published_updated"] = atom("<title>t</title><id>1</id><published>2024-05-01T10:00:00Z</published><updated>2024-06-01T10:00:00Z</updated>")
CASES["date_atom_updated_only"] = atom("<title>t</title><id>1</id><updated>2024-06-01T10:00:00Z</updated>")
CASES["date_dc_date"] = rss("<title>t</title><dc:date>2024-05-01T10:00:00+02:00</dc:date>")
CASES["date_dcterms_issued"] = rss("<title>t</title><dcterms:issued>2024-05-01</dcterms:issued>")
CASES["date_dcterms_modified"] = rss("<title>t</title><dcterms:modified>2024-05-02</dcterms:modified>")
CASES["date_pubdate_and_dc"] = rss("<title>t</title><pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate><dc:date>2024-06-01</dc:date>")
CASES["date_atom03_issued_modified"] = atom03("<title>t</title><id>1</id><issued>2024-05-01T10:00:00Z</issued><modified>2024-05-03T10:00:00Z</modified>")
CASES["date_channel_lastbuild"] = RSS_ITEM.replace("<description>About", "<lastBuildDate>Wed, 01 May 2024 09:00:00 GMT</lastBuildDate><description>About").format(ns="", item="<title>t</title>")
CASES["date_channel_pubdate"] = RSS_ITEM.replace("<description>About", "<pubDate>Wed, 01 May 2024 09:00:00 GMT</pubDate><description>About").format(ns="", item="<title>t</title>")

# Authors
CASES["author_rss_email_name"] = rss("<title>t</title><author>jane@example.org (Jane Doe)</author>")
CASES["author_rss_email"] = rss("<title>t</title><author>jane@example.org</author>")
CASES["author_dc_creator"] = rss("<title>t</title><dc:creator>Jane Doe</dc:creator>")
CASES["author_two_dc_creators"] = rss("<title>t</title><dc:creator>Jane</dc:creator><dc:creator>John</dc:creator>")
CASES["author_itunes"] = rss("<title>t</title><itunes:author>Pod Caster</itunes:author>")
CASES["author_atom_name_email"] = atom("<title>t</title><id>1</id><author><name>Jane</name><email>jane@example.org</email><uri>http://jane.example/</uri></author>")
CASES["author_atom_name"] = atom("<title>t</title><id>1</id><author><name>Jane</name></author>")
CASES["author_atom_email"] = atom("<title>t</title><id>1</id><author><email>jane@example.org</email></author>")
CASES["author_atom_contributor"] = atom("<title>t</title><id>1</id><contributor><name>Helper</name></contributor>")
CASES["author_atom_feed_level"] = atom("<title>t</title><id>1</id>").replace("<entry>", "<author><name>Feed Author</name></author><entry>")
CASES["author_atom_source"] = atom("<title>t</title><id>1</id><source><author><name>Source Author</name></author><title>Src</title></source>")

# Categories
CASES["cat_rss"] = rss("<title>t</title><category>News</category><category domain='http://x'>Tech</category>")
CASES["cat_rss_duplicate"] = rss("<title>t</title><category>News</category><category>News</category>")
CASES["cat_dc_subject"] = rss("<title>t</title><dc:subject>Economy</dc:subject>")
CASES["cat_atom_term"] = atom('<title>t</title><id>1</id><category term="sports" label="Sports"/><category term="golf" scheme="http://x"/>')
CASES["cat_itunes"] = rss('<title>t</title><itunes:category text="Technology"><itunes:category text="Gadgets"/></itunes:category>')
CASES["cat_itunes_keywords"] = rss("<title>t</title><itunes:keywords>one, two,three</itunes:keywords>")
CASES["cat_media_category"] = rss("<title>t</title><media:category>music/rock</media:category>")
CASES["cat_entities"] = rss("<title>t</title><category>Food &amp; Drink</category>")

# Feed-level fields
CASES["feed_language"] = RSS_ITEM.replace("<description>About", "<language>es-ES</language><description>About").format(ns="", item="<title>t</title>")
CASES["feed_dc_language"] = RSS_ITEM.replace("<description>About", "<dc:language>it</dc:language><description>About").format(ns=NS["dc"], item="<title>t</title>")
CASES["feed_xml_lang"] = atom("<title>t</title><id>1</id>").replace("<feed ", '<feed xml:lang="en-GB" ')
CASES["feed_title_entities"] = RSS_ITEM.replace("<title>Channel</title>", "<title>Caf&#233; &amp; Bar</title>").format(ns="", item="<title>t</title>")
CASES["feed_image_title"] = RSS_ITEM.replace("<description>About", "<image><title>Image title</title><url>http://example.org/i.png</url><link>http://example.org/img</link></image><description>About").format(ns="", item="<title>t</title>")
CASES["feed_image_first"] = RSS_ITEM.replace("<title>Channel</title>", "<image><title>Image title</title><url>http://example.org/i.png</url><link>http://example.org/img</link></image><title>Channel</title>").format(ns="", item="<title>t</title>")
CASES["feed_textinput"] = RSS_ITEM.replace("<description>About", "<textInput><title>Search</title><link>http://example.org/search</link><name>q</name><description>d</description></textInput><description>About").format(ns="", item="<title>t</title>")
CASES["feed_atom_link_self_only"] = atom("<title>t</title><id>1</id>").replace('<link href="http://example.org/"/>', '<link rel="self" href="http://example.org/feed.xml"/>')
CASES["feed_atom_id_link"] = atom("<title>t</title><id>1</id>").replace('<link href="http://example.org/"/>', '').replace("<id>urn:x:feed</id>", "<id>http://example.org/feed-id</id>")

# Versions
CASES["rss090"] = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
<channel><title>Old</title><link>http://example.org/</link><description>d</description></channel>
<item><title>Item 090</title><link>http://example.org/090</link></item>
</rdf:RDF>
"""
CASES["rss091_netscape"] = """<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Net &eacute;scape</title><link>http://example.org/</link><description>d</description><language>en</language>
<item><title>Item &copy; 091</title><link>http://example.org/091</link><description>Caf&eacute; &mdash; ok</description></item>
</channel></rss>
"""
CASES["rss092"] = '<rss version="0.92"><channel><title>c</title><link>http://example.org/</link><description>d</description><item><description>No title item</description><enclosure url="http://example.org/a.mp3" length="12" type="audio/mpeg"/></item></channel></rss>'
CASES["rss_no_version"] = "<rss><channel><title>c</title><item><title>i</title></item></channel></rss>"
CASES["rss_userland_ns"] = '<rss version="2.0" xmlns="http://backend.userland.com/rss2"><channel><title>c</title><item><title>Userland</title></item></channel></rss>'

# Entities
CASES["entity_html_undeclared"] = rss("<title>Caf&eacute; &hellip; done&nbsp;now</title><description>&ldquo;Quoted&rdquo; &euro;5</description>")
CASES["entity_declared"] = '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY brand "Vigía &amp; Co">]>\n' + rss("<title>&brand; news</title>").split("\n", 1)[1]
CASES["entity_numeric_cp1252_range"] = rss("<title>It&#146;s &#150; fine</title>")
CASES["entity_hex_astral"] = rss("<title>Smile &#x1F600; now</title>")
CASES["entity_unknown"] = rss("<title>Unknown &foo; entity</title>")

# Ill-formed
CASES["illformed_unclosed_item"] = '<rss version="2.0"><channel><title>c</title><item><title>One</title><item><title>Two</title></item></channel></rss>'
CASES["illformed_bare_ampersand"] = rss("<title>Fish & Chips</title>")
CASES["illformed_mismatched"] = rss("<title>t</title><description>a<b>b</i></description>")
CASES["illformed_truncated"] = rss("<title>Complete</title>").split("</rss>")[0][:-30]
CASES["illformed_leading_space"] = "\n\n  " + rss("<title>Leading space</title>")
CASES["illformed_junk_before"] = "garbage" + rss("<title>Junk before</title>")
CASES["illformed_lt_in_text"] = rss("<title>1 < 2</title>")
CASES["illformed_bad_comment"] = rss("<title>t</title><!-- bad -- comment --><description>d</description>")

CASES["illformed_unquoted_attribute"] = '<rss version=2.0><channel><title>c</title><item><title>Unquoted attr</title><link>http://e/1</link></item></channel></rss>'
CASES["illformed_unclosed_br"] = '<rss version="2.0"><channel><title>c</title><item><title>t</title><description>line<br>two</description><link>http://e/2</link></item></channel></rss>'
CASES["illformed_truncated_mid_item"] = '<rss version="2.0"><channel><title>c</title><item><title>First</title></item><item><title>Second</title><description>cut here'
CASES["illformed_missing_close_channel"] = '<rss version="2.0"><channel><title>c</title><item><title>A</title></item><item><title>B</title></item></rss>'
CASES["illformed_stray_close"] = '<rss version="2.0"><channel><title>c</title></foo><item><title>A</title></item></channel></rss>'
CASES["illformed_mismatched_item"] = '<rss version="2.0"><channel><title>c</title><item><title>A</title></entry><item><title>B</title></item></channel></rss>'
CASES["illformed_html_in_title"] = '<rss version="2.0"><channel><title>c</title><item><title>Hello <b>World</b></title></item></channel></rss>'
CASES["illformed_cdata_unclosed"] = '<rss version="2.0"><channel><title>c</title><item><title>A</title><description><![CDATA[never closed</description></item></channel></rss>'
CASES["illformed_text_after_root"] = '<rss version="2.0"><channel><title>c</title><item><title>A</title></item></channel></rss>garbage'
CASES["illformed_amp_in_link"] = '<rss version="2.0"><channel><title>c</title><item><title>A</title><link>http://e/?a=1&b=2</link></item></channel></rss>'
CASES["illformed_atom_unclosed_entry"] = '<feed xmlns="http://www.w3.org/2005/Atom"><title>f</title><entry><title>One</title><id>1</id><entry><title>Two</title><id>2</id></entry></feed>'

# Case, odd attributes and more field variants
CASES["case_uppercase_elements"] = '<rss version="2.0"><channel><TITLE>Upper</TITLE><item><Title>Mixed</Title><LINK>http://example.org/u</LINK><PubDate>Wed, 01 May 2024 10:00:00 GMT</PubDate></item></channel></rss>'
CASES["case_rel_uppercase"] = atom('<title>t</title><id>1</id><link rel="ALTERNATE" type="TEXT/HTML" href="http://example.org/upper"/>')
CASES["case_ispermalink_lowercase"] = rss('<title>t</title><guid ispermalink="false">not-a-link</guid>')
CASES["atom_author_uri_only"] = atom("<title>t</title><id>1</id><author><uri>http://jane.example/</uri></author>")
CASES["author_dc_and_rss"] = rss("<title>t</title><author>a@example.org (A)</author><dc:creator>B</dc:creator>")
CASES["author_atom_two"] = atom("<title>t</title><id>1</id><author><name>First</name></author><author><name>Second</name></author>")
CASES["cat_atom_label_only"] = atom('<title>t</title><id>1</id><category label="Only label"/>')
CASES["cat_atom_scheme_variants"] = atom('<title>t</title><id>1</id><category term="x" scheme="http://a"/><category term="x" scheme="http://b"/>')
CASES["atom_title_xhtml_no_div"] = atom('<title type="xhtml">Plain xhtml <b xmlns="http://www.w3.org/1999/xhtml">bold</b></title><id>1</id>')
CASES["atom_summary_xhtml_nested"] = atom('<title>t</title><id>1</id><summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><ul><li>One</li><li>Two</li></ul></div></summary>')
CASES["atom_entry_xml_lang"] = atom('<title>t</title><id>1</id>').replace("<entry>", '<entry xml:lang="fr">')
CASES["rss_channel_xml_lang"] = '<rss version="2.0"><channel xml:lang="de"><title>c</title><item><title>i</title></item></channel></rss>'
CASES["rss_root_xml_lang"] = '<rss version="2.0" xml:lang="pt-BR"><channel><title>c</title><item><title>i</title></item></channel></rss>'
CASES["rss_language_underscore"] = '<rss version="2.0"><channel><title>c</title><language>en_US</language><item><title>i</title></item></channel></rss>'
CASES["rss_empty_link_then_guid"] = rss("<title>t</title><link></link><guid>http://example.org/g</guid>")
CASES["rss_link_whitespace"] = rss("<title>t</title><link>\n   http://example.org/spaced   \n</link>")
CASES["rss_guid_relative_base"] = rss("<title>t</title><guid>/posts/9</guid>").replace('<rss version="2.0"', '<rss version="2.0" xml:base="http://example.org/"')
CASES["rss_item_source"] = rss('<title>Item</title><source url="http://other.example/feed">Other Feed</source>')
CASES["rss_description_entities_only"] = rss("<title>t</title><description>Tom &amp;amp; Jerry &amp;mdash; cartoon</description>")
CASES["rss_title_amp_amp"] = rss("<title>AT&amp;amp;T</title>")
CASES["rss_title_numeric_amp"] = rss("<title>R&#38;D</title>")
CASES["rss_description_nbsp"] = rss("<title>t</title><description>a&amp;nbsp;b&amp;nbsp;&amp;nbsp;c</description>")
CASES["rss_description_br_only"] = rss("<title>t</title><description>line one&lt;br/&gt;line two&lt;br&gt;three</description>")
CASES["rss_description_comment"] = rss("<title>t</title><description>&lt;!-- hidden --&gt;visible</description>")
CASES["rss_description_title_tag"] = rss("<title>t</title><description>&lt;html&gt;&lt;head&gt;&lt;title&gt;Doc title&lt;/title&gt;&lt;/head&gt;&lt;body&gt;Body text&lt;/body&gt;&lt;/html&gt;</description>")
CASES["atom_content_src_only"] = atom('<title>t</title><id>1</id><content src="http://example.org/x" type="text/html"/>')
CASES["feed_subtitle_then_items"] = atom("<title>t</title><id>1</id>").replace("<entry>", "<subtitle>Sub</subtitle><entry>")
CASES["feed_title_after_items"] = '<rss version="2.0"><channel><item><title>i</title></item><title>Late title</title><link>http://example.org/late</link></channel></rss>'
CASES["feed_no_title"] = '<rss version="2.0"><channel><item><title>i</title></item></channel></rss>'
CASES["rdf_dc_date_feed"] = RDF_ITEM.replace("<description>d</description></channel>", "<description>d</description><dc:date>2024-05-01T10:00:00Z</dc:date></channel>").format(ns=NS["dc"], item="<title>t</title>")
CASES["rdf_no_about"] = RDF_ITEM.replace(' rdf:about="http://example.org/1"', "").format(ns="", item="<title>t</title><link>http://example.org/x</link>")
CASES["atom03_author_email"] = atom03("<title>t</title><id>1</id><author><name>N</name><email>n@example.org</email></author>")
CASES["atom03_summary_default"] = atom03("<title>t</title><id>1</id><summary>Sum &amp;amp; more</summary>")
CASES["atom03_created_only"] = atom03("<title>t</title><id>1</id><created>2024-05-01T10:00:00Z</created>")
CASES["date_rfc822_lowercase"] = rss("<title>t</title><pubDate>wed, 01 may 2024 10:00:00 gmt</pubDate>")
CASES["date_rfc822_extra_tokens"] = rss("<title>t</title><pubDate>Wed, 01 May 2024 10:00:00 +0000 (UTC)</pubDate>")
CASES["date_w3dtf_hour_offset"] = rss("<title>t</title><pubDate>2024-05-01T10:00:00+02</pubDate>")
CASES["date_two_pubdates"] = rss("<title>t</title><pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate><pubDate>garbage</pubDate>")
CASES["entity_in_attribute"] = atom('<title>t</title><id>1</id><link href="http://example.org/?a=1&amp;b=2"/>')
CASES["entity_html_in_attribute"] = atom('<title>t</title><id>1</id><category term="caf&eacute;"/>')

# Encodings
def enc(name, text, data_encoding, declared=None, bom=b""):
    decl = '<?xml version="1.0" encoding="%s"?>\n' % declared if declared else '<?xml version="1.0"?>\n'
    body = decl + '<rss version="2.0"><channel><title>Enc</title><item><title>%s</title></item></channel></rss>\n' % text
    return bom + body.encode(data_encoding)

BINARY = {
    "enc_latin1_declared.xml": enc("a", "Café olé ñandú", "latin-1", "ISO-8859-1"),
    "enc_cp1252_declared.xml": enc("a", "“Smart” quotes – €", "cp1252", "windows-1252"),
    "enc_cp1252_undeclared.xml": enc("a", "“Smart” quotes – café", "cp1252"),
    "enc_cp1252_mislabelled_utf8.xml": enc("a", "Mislabelled café “q”", "cp1252", "utf-8"),
    "enc_utf16le_bom.xml": enc("a", "UTF-16 ñ ü 日本", "utf-16-le", "utf-16", b"\xff\xfe"),
    "enc_utf16be_bom.xml": enc("a", "UTF-16BE ñ 日本", "utf-16-be", "utf-16", b"\xfe\xff"),
    "enc_utf16le_nobom.xml": enc("a", "No BOM ñ", "utf-16-le", "utf-16le"),
    "enc_utf8_bom.xml": enc("a", "BOM ✓ ñ", "utf-8", "utf-8", b"\xef\xbb\xbf"),
    "enc_utf32le_bom.xml": enc("a", "UTF-32 ñ 😀", "utf-32-le", "utf-32", b"\xff\xfe\x00\x00"),
    "enc_latin2_declared.xml": enc("a", "Łódź żółć", "iso-8859-2", "iso-8859-2"),
    "enc_cp1251_declared.xml": enc("a", "Привет мир", "cp1251", "windows-1251"),
    "enc_koi8r_declared.xml": enc("a", "Привет", "koi8-r", "koi8-r"),
    "enc_declared_utf16_but_ascii.xml": enc("a", "Declared utf-16", "utf-8", "utf-16"),
    "enc_ascii_declared_with_utf8.xml": enc("a", "ascii? ñ", "utf-8", "us-ascii"),
    "enc_mojibake_double_utf8.xml": enc("a", "CafÃ© double", "utf-8", "utf-8"),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "bench/.work/edgecases"
    os.makedirs(out, exist_ok=True)
    for name, text in CASES.items():
        with open(os.path.join(out, name + ".xml"), "w", encoding="utf-8") as f:
            f.write(text)
    for name, data in BINARY.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print("wrote %d edge-case feeds to %s" % (len(CASES) + len(BINARY), out))


if __name__ == "__main__":
    main()
