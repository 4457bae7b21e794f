import Testing
import TestSupport

@testable import Fetching

/// A queued item: which host it belongs to and its position among that host's items.
private struct Item: Hashable {
    var host: String
    var index: Int
}

/// Drains `queue` as far as its limits allow, returning what `next()` handed out, in order.
private func startAll(_ queue: inout HostQueue<Item>) -> [Item] {
    var started: [Item] = []
    while let (item, host) = queue.next() {
        #expect(item.host == host)
        started.append(item)
    }
    return started
}

@Suite struct HostQueueTests {
    @Test func limitsAreClampedToAtLeastOne() {
        let queue = HostQueue<Item>(maxActive: 0, maxPerHost: -3)
        #expect(queue.maxActive == 1)
        #expect(queue.maxPerHost == 1)
    }

    @Test func emptyQueueHandsOutNothing() {
        var queue = HostQueue<Item>(maxActive: 4, maxPerHost: 2)
        #expect(queue.next() == nil)
        #expect(queue.activeCount == 0)
        #expect(queue.waitingCount == 0)
    }

    @Test func perHostLimitHoldsBackTheRestOfAHost() {
        var queue = HostQueue<Item>(maxActive: 10, maxPerHost: 2)
        for index in 0..<5 { queue.append(Item(host: "a", index: index), host: "a") }
        let started = startAll(&queue)
        #expect(started.map(\.index) == [0, 1])
        #expect(queue.activeCount == 2)
        #expect(queue.waitingCount == 3)

        queue.finished(host: "a")
        #expect(startAll(&queue).map(\.index) == [2])
        #expect(queue.next() == nil)
        #expect(queue.activeCount == 2)
        #expect(queue.waitingCount == 2)
    }

    @Test func globalLimitHoldsBackEveryHost() {
        var queue = HostQueue<Item>(maxActive: 3, maxPerHost: 5)
        for host in ["a", "b", "c", "d"] {
            for index in 0..<3 { queue.append(Item(host: host, index: index), host: host) }
        }
        #expect(startAll(&queue).count == 3)
        #expect(queue.activeCount == 3)
        #expect(queue.waitingCount == 9)
        // A finished item of one host frees a slot any host may take.
        queue.finished(host: "a")
        #expect(startAll(&queue).count == 1)
        #expect(queue.activeCount == 3)
    }

    @Test func hostsTakeTurns() {
        var queue = HostQueue<Item>(maxActive: 100, maxPerHost: 100)
        // All of a's work arrives first, then b's, then c's: a must not go first for all of it.
        for host in ["a", "b", "c"] {
            for index in 0..<4 { queue.append(Item(host: host, index: index), host: host) }
        }
        let started = startAll(&queue)
        #expect(started.map(\.host) == ["a", "b", "c", "a", "b", "c", "a", "b", "c", "a", "b", "c"])
        // Within a host, first in first out.
        for host in ["a", "b", "c"] {
            #expect(started.filter { $0.host == host }.map(\.index) == [0, 1, 2, 3])
        }
    }

    @Test func aHostAtItsLimitRejoinsTheTurnsWhenASlotFrees() {
        var queue = HostQueue<Item>(maxActive: 100, maxPerHost: 1)
        for host in ["a", "b"] {
            for index in 0..<3 { queue.append(Item(host: host, index: index), host: host) }
        }
        #expect(startAll(&queue).map(\.host) == ["a", "b"])
        queue.finished(host: "b")
        queue.finished(host: "a")
        // b freed its slot first, so b goes first.
        #expect(startAll(&queue).map(\.host) == ["b", "a"])
    }

    @Test func removeWaitingTakesOnlyTheSelectedItems() throws {
        var queue = HostQueue<Item>(maxActive: 1, maxPerHost: 1)
        for host in ["a", "b"] {
            for index in 0..<3 { queue.append(Item(host: host, index: index), host: host) }
        }
        let next = queue.next()
        let first = try #require(next)
        #expect(first.item == Item(host: "a", index: 0))
        let removed = queue.removeWaiting { $0.index == 1 || $0.host == "b" && $0.index == 0 }
        #expect(Set(removed) == [Item(host: "a", index: 1), Item(host: "b", index: 0), Item(host: "b", index: 1)])
        #expect(queue.waitingCount == 2)
        #expect(queue.activeCount == 1)
        #expect(queue.removeWaiting { _ in false }.isEmpty)

        queue.finished(host: "a")
        var rest: [Item] = []
        while let (item, host) = queue.next() {
            rest.append(item)
            queue.finished(host: host)
        }
        #expect(Set(rest) == [Item(host: "a", index: 2), Item(host: "b", index: 2)])
        #expect(queue.waitingCount == 0)
        #expect(queue.activeCount == 0)
    }

    @Test func removingEveryItemOfAHostThenAddingMoreStillServesIt() {
        var queue = HostQueue<Item>(maxActive: 10, maxPerHost: 10)
        queue.append(Item(host: "a", index: 0), host: "a")
        #expect(queue.removeWaiting { $0.host == "a" }.count == 1)
        #expect(queue.next() == nil)
        queue.append(Item(host: "a", index: 1), host: "a")
        #expect(queue.next()?.item == Item(host: "a", index: 1))
    }

    @Test func removeAllWaitingEmptiesTheQueueButKeepsActiveCounts() {
        var queue = HostQueue<Item>(maxActive: 2, maxPerHost: 1)
        for host in ["a", "b", "c"] {
            for index in 0..<2 { queue.append(Item(host: host, index: index), host: host) }
        }
        let started = startAll(&queue)
        #expect(started.count == 2)
        let removed = queue.removeAllWaiting()
        #expect(removed.count == 4)
        #expect(Set(removed).isDisjoint(with: started))
        #expect(queue.waitingCount == 0)
        #expect(queue.activeCount == 2)
        #expect(queue.next() == nil)

        for item in started { queue.finished(host: item.host) }
        #expect(queue.activeCount == 0)
        #expect(queue.next() == nil)
        // Still usable afterwards.
        queue.append(Item(host: "z", index: 0), host: "z")
        #expect(queue.next()?.host == "z")
    }

    /// Random appends, starts and finishes: the limits hold at every step, every item is handed
    /// out exactly once, and each host's items come out in order.
    @Test(arguments: [(1, 1), (3, 1), (8, 2), (5, 5), (2, 6)])
    func randomWorkloadRespectsTheLimits(maxActive: Int, maxPerHost: Int) {
        var generator = SplitMix(seed: UInt64(maxActive * 31 + maxPerHost))
        var queue = HostQueue<Item>(maxActive: maxActive, maxPerHost: maxPerHost)
        let hosts = ["a", "b", "c", "d", "e"]
        var appended: [String: Int] = [:]
        var handedOut: [String: [Int]] = [:]
        var active: [Item] = []
        var activeByHost: [String: Int] = [:]

        for step in 0..<4_000 {
            let roll = generator.next() % 10
            if roll < 4 || step < 50 {
                let host = hosts[Int(generator.next() % UInt64(hosts.count))]
                queue.append(Item(host: host, index: appended[host, default: 0]), host: host)
                appended[host, default: 0] += 1
            } else if roll < 7 {
                if let (item, host) = queue.next() {
                    active.append(item)
                    activeByHost[host, default: 0] += 1
                    handedOut[host, default: []].append(item.index)
                } else {
                    // Nothing may start only when a limit stops it or nothing waits.
                    let blocked = active.count >= maxActive || queue.waitingCount == 0
                        || hosts.allSatisfy { host in
                            activeByHost[host, default: 0] >= maxPerHost
                                || handedOut[host, default: []].count == appended[host, default: 0]
                        }
                    #expect(blocked, "next() returned nil with a free slot and waiting work at step \(step)")
                }
            } else if !active.isEmpty {
                let item = active.remove(at: Int(generator.next() % UInt64(active.count)))
                activeByHost[item.host, default: 0] -= 1
                queue.finished(host: item.host)
            }
            #expect(active.count <= maxActive)
            #expect(activeByHost.values.allSatisfy { $0 <= maxPerHost })
            #expect(queue.activeCount == active.count)
            let waiting = appended.values.reduce(0, +) - handedOut.values.reduce(0, { $0 + $1.count })
            #expect(queue.waitingCount == waiting)
        }
        // Drain.
        while !active.isEmpty || queue.waitingCount > 0 {
            for item in active { queue.finished(host: item.host) }
            active = []
            activeByHost = [:]
            while let (item, host) = queue.next() {
                active.append(item)
                activeByHost[host, default: 0] += 1
                handedOut[host, default: []].append(item.index)
                #expect(active.count <= maxActive)
                #expect(activeByHost[host, default: 0] <= maxPerHost)
            }
        }
        for host in hosts {
            #expect(handedOut[host, default: []] == Array(0..<appended[host, default: 0]))
        }
    }
}
