import VigiaModel

/// Waiting work, grouped by host, handed out fairly (hosts take turns) under a global limit and a
/// per-host limit. Pure bookkeeping; the transfer engine owns one and calls it from its thread.
struct HostQueue<Item> {
    let maxActive: Int
    let maxPerHost: Int

    private var waiting: [String: FIFO<Item>] = [:]
    private var activeByHost: [String: Int] = [:]
    /// Hosts with waiting work and a free slot, in turn order.
    private var ready = FIFO<String>()
    private var isReady: Set<String> = []
    private(set) var activeCount = 0
    private(set) var waitingCount = 0

    init(maxActive: Int, maxPerHost: Int) {
        self.maxActive = max(1, maxActive)
        self.maxPerHost = max(1, maxPerHost)
    }

    /// Queues `item` for `host`.
    mutating func append(_ item: Item, host: String) {
        waiting[host, default: FIFO()].append(item)
        waitingCount += 1
        markReadyIfPossible(host)
    }

    /// The next item allowed to start, counted as active until ``finished(host:)``; nil when the
    /// global limit is reached or every host with waiting work is at its own limit.
    mutating func next() -> (item: Item, host: String)? {
        guard activeCount < maxActive else { return nil }
        while let host = ready.popFirst() {
            isReady.remove(host)
            guard let item = waiting[host]?.popFirst() else { continue }
            if waiting[host]?.isEmpty == true { waiting[host] = nil }
            waitingCount -= 1
            activeCount += 1
            activeByHost[host, default: 0] += 1
            markReadyIfPossible(host)
            return (item, host)
        }
        return nil
    }

    /// Frees the slot of a finished item of `host`.
    mutating func finished(host: String) {
        activeCount -= 1
        let remaining = (activeByHost[host] ?? 1) - 1
        activeByHost[host] = remaining > 0 ? remaining : nil
        markReadyIfPossible(host)
    }

    /// Removes and returns every waiting item.
    mutating func removeAllWaiting() -> [Item] {
        var items: [Item] = []
        for (_, var queue) in waiting {
            while let item = queue.popFirst() { items.append(item) }
        }
        waiting = [:]
        ready = FIFO()
        isReady = []
        waitingCount = 0
        return items
    }

    /// Removes the waiting items `matches` selects.
    mutating func removeWaiting(where matches: (Item) -> Bool) -> [Item] {
        var removed: [Item] = []
        for (host, queue) in waiting {
            var kept = FIFO<Item>()
            var copy = queue
            while let item = copy.popFirst() {
                if matches(item) { removed.append(item) } else { kept.append(item) }
            }
            waiting[host] = kept.isEmpty ? nil : kept
        }
        waitingCount -= removed.count
        return removed
    }

    private mutating func markReadyIfPossible(_ host: String) {
        guard !isReady.contains(host), waiting[host]?.isEmpty == false, (activeByHost[host] ?? 0) < maxPerHost else { return }
        ready.append(host)
        isReady.insert(host)
    }
}
