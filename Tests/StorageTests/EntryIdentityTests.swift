import Foundation
import Testing

@testable import Storage

/// Identity keys computed ahead (on the analysing thread) never outlive the entry they describe.
@Suite struct EntryIdentityTests {
    @Test func keysComputedAheadMatchKeysComputedByTheStore() {
        let plain = record(source: 1, id: "a", title: "Hola", text: "Un texto bastante largo para tener huella de contenido propia",
                           link: "https://www.example.org/p/1?utm_source=rss")
        let ahead = plain.withIdentity()
        #expect(ahead.identity == EntryIdentity(plain.entry))
        #expect(ahead.identity?.hostKey == "org.example.www")
        #expect(ahead.identity?.fingerprint != nil)
    }

    @Test func changingTheEntryDropsTheKeys() async throws {
        var changed = record(source: 1, id: "a", text: "first", link: "https://example.org/1").withIdentity()
        #expect(changed.identity != nil)
        changed.entry.link = "https://example.org/2"
        #expect(changed.identity == nil)
        #expect(changed.currentIdentity() == EntryIdentity(changed.entry))
    }

    @Test func aChangedEntryIsStoredWithItsNewLink() async throws {
        let fixture = try await StoreFixture()
        let first = record(source: fixture.feed.id, id: "1", text: "uno", link: "https://example.org/same")
        var second = record(source: fixture.otherFeed.id, id: "2", text: "dos", link: "https://example.org/other").withIdentity()
        second.entry.link = "https://example.org/same"  // now a copy of the first by link
        let result = try await fixture.store.store(batch: [first, second])
        #expect(result.stored == 1)
        #expect(result.duplicates == 1)
    }
}
