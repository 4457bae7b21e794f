import Foundation
import GRDB
import Testing

@testable import Storage

/// Counting mentions (the digest's figures and days, the alert monitor) must read the covering
/// index alone: over a million mentions, visiting each row doubles the time.
@Suite struct CountingPlanTests {
    @Test(arguments: [nil, 900] as [Int?])
    func countsPerBrandAndBucketReadTheCoveringIndex(_ bucket: Int?) async throws {
        let fixture = try await StoreFixture()
        let request = MentionCountRequest(
            brands: ["Acme", "Rival"], since: may1, until: may1.addingTimeInterval(30 * day), bucketSeconds: bucket)
        let (sql, arguments) = SQLiteMentionStore.mentionCountQuery(request)
        let plan = try await fixture.store.queryPlanForTesting(sql, arguments: arguments)
        #expect(plan.contains("USING COVERING INDEX mention_counted_brand_date"), "\(plan)")
    }
}
