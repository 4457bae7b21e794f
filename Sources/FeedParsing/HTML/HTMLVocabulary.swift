/// HTML element names, used to tell HTML from plain text that merely contains `<`.
enum HTMLVocabulary {
    /// Elements ordinary feed HTML uses (the safe subset feed readers keep).
    static let elements: Set<String> = [
        "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "big",
        "blockquote", "br", "button", "canvas", "caption", "center", "cite", "code", "col",
        "colgroup", "command", "datagrid", "datalist", "dd", "del", "details", "dfn", "dialog",
        "dir", "div", "dl", "dt", "em", "fieldset", "figcaption", "figure", "font", "footer",
        "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "input", "ins",
        "kbd", "keygen", "label", "legend", "li", "m", "map", "mark", "menu", "meter", "multicol",
        "nav", "nextid", "noscript", "ol", "optgroup", "option", "output", "p", "pre", "progress",
        "q", "s", "samp", "section", "select", "small", "sound", "source", "spacer", "span",
        "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "textarea", "tfoot",
        "th", "thead", "time", "tr", "tt", "u", "ul", "var", "video",
    ]
}
