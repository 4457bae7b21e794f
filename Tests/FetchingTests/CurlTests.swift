import Testing
@testable import Fetching

@Test func libcurlReportsItsVersion() {
    #expect(Curl.version.hasPrefix("libcurl/"))
}
