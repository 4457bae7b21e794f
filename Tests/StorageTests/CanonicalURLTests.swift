import Testing

@testable import Storage

@Suite struct CanonicalURLTests {
    @Test(arguments: [
        ("HTTPS://Example.COM/Path", "https://example.com/Path"),
        ("http://example.com/a", "https://example.com/a"),
        ("https://www.example.com/a", "https://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/a/", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/", "https://example.com/"),
        ("https://example.com./a", "https://example.com/a"),
        ("https://user:secret@example.com/a", "https://example.com/a"),
        ("  https://example.com/a \n", "https://example.com/a"),
    ])
    func schemeHostPortPathAndFragment(link: String, expected: String) {
        #expect(CanonicalURL.canonicalKey(link) == expected)
    }

    @Test func trackingParametersAreDropped() {
        let link = "https://example.com/p/1?utm_source=feed&utm_Medium=rss&fbclid=x&gclid=y&mc_cid=1&mc_eid=2&igshid=3&ref=rss&ref_src=twsrc&id=7"
        #expect(CanonicalURL.canonicalKey(link) == "https://example.com/p/1?id=7")
    }

    @Test func onlyTrackingParametersLeaveNoQuery() {
        #expect(CanonicalURL.canonicalKey("https://example.com/p?utm_source=a&fbclid=b") == "https://example.com/p")
    }

    @Test func remainingParametersAreSorted() {
        #expect(CanonicalURL.canonicalKey("https://example.com/s?q=iberia&page=2&a")
            == CanonicalURL.canonicalKey("https://example.com/s?a&page=2&q=iberia"))
    }

    @Test func parametersThatChooseThePageStay() {
        #expect(CanonicalURL.canonicalKey("https://example.com/item?id=1") != CanonicalURL.canonicalKey("https://example.com/item?id=2"))
    }

    @Test func percentEscapesAreNormalised() {
        #expect(CanonicalURL.canonicalKey("https://example.com/caf%c3%a9/%7Euser") == "https://example.com/caf%C3%A9/~user")
    }

    @Test func pathCaseIsKept() {
        #expect(CanonicalURL.canonicalKey("https://example.com/A") != CanonicalURL.canonicalKey("https://example.com/a"))
    }

    @Test func hashBangRoutesKeepTheirFragment() {
        #expect(CanonicalURL.canonicalKey("https://example.com/#!/post/1") == "https://example.com/#!/post/1")
        #expect(CanonicalURL.canonicalKey("https://example.com/#!/post/1") != CanonicalURL.canonicalKey("https://example.com/#!/post/2"))
    }

    @Test func otherSchemesKeepEverythingButTheFragment() {
        #expect(CanonicalURL.canonicalKey("TAG:example.com,2024:Post/1#x") == "tag:example.com,2024:Post/1")
    }

    @Test func linksWithoutSchemeAreKeptTrimmed() {
        #expect(CanonicalURL.canonicalKey("  /relative/path ") == "/relative/path")
        #expect(CanonicalURL.canonicalKey("   ") == nil)
        #expect(CanonicalURL.canonicalKey("") == nil)
    }

    @Test func hostOfLinks() {
        #expect(CanonicalURL.host(of: "https://Blog.Example.org:8080/a?b#c") == "blog.example.org")
        #expect(CanonicalURL.host(of: "example.org/path") == "example.org")
        #expect(CanonicalURL.host(of: "mailto:someone@example.org") == nil)
        #expect(CanonicalURL.reversedHost("blog.example.org") == "org.example.blog")
    }

    @Test(arguments: ["http://", "https://[::1", "https://:80", "https://@", "%%%", "https://exa mple.com/ä?ü=1#", "%e2%8", "https://a.com/%zz%4"])
    func brokenLinksDoNotCrash(link: String) {
        _ = CanonicalURL.canonicalKey(link)
        _ = CanonicalURL.host(of: link)
    }
}
