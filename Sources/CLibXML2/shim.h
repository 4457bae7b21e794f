#ifndef VIGIA_CLIBXML2_SHIM_H
#define VIGIA_CLIBXML2_SHIM_H

// The parts of libxml2 Vigía uses: the SAX2 push parser for XML and the HTML
// push parser for HTML-to-text. Only the FeedParsing module imports this.
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/HTMLparser.h>
#include <libxml/entities.h>
#include <libxml/encoding.h>
#include <libxml/xmlerror.h>
#include <libxml/SAX2.h>

/// Parser options for every XML parse: recover what can be recovered, never
/// touch the network, never substitute external entities or load DTDs.
static inline int vigia_xml_options(int recover) {
    int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
    if (recover) options |= XML_PARSE_RECOVER;
    return options;
}

/// Parser options for HTML fragments converted to text.
static inline int vigia_html_options(void) {
    return HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
           HTML_PARSE_NOWARNING | HTML_PARSE_NOIMPLIED | HTML_PARSE_COMPACT;
}

/// The line the parser is at, for error messages.
static inline int vigia_xml_ctxt_line(xmlParserCtxtPtr ctxt) {
    if (ctxt == NULL || ctxt->input == NULL) return 0;
    return ctxt->input->line;
}

/// Whether the document parsed so far is well-formed.
static inline int vigia_xml_ctxt_well_formed(xmlParserCtxtPtr ctxt) {
    return ctxt == NULL ? 0 : ctxt->wellFormed;
}

/// Stops the parser as soon as possible (used when a size cap is reached).
static inline void vigia_xml_ctxt_stop(xmlParserCtxtPtr ctxt) {
    if (ctxt != NULL) xmlStopParser(ctxt);
}

/// Frees memory libxml2 allocated (xmlFree is a global function pointer Swift cannot call safely).
static inline void vigia_xml_free(void *pointer) {
    if (pointer != NULL) xmlFree(pointer);
}

#endif
